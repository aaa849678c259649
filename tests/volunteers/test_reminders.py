from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from ankommen.messaging.models import OutboxMessage
from ankommen.messaging.services.reminders import send_due_reminders
from tests.factories import ClearanceCheckFactory, UserFactory, VolunteerFactory
from volunteers.models import Stage

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Europe/Berlin"))  # a Monday


def _run_beat_many_times(start, hours=48, every=3):
    for hour in range(0, hours, every):
        send_due_reminders(now=start + timedelta(hours=hour))


def _clearance(volunteer, valid_until):
    return ClearanceCheckFactory(
        volunteer=volunteer,
        issued_on=valid_until - timedelta(days=1825),
        seen_on=valid_until - timedelta(days=1820),
        valid_until=valid_until,
    )


def _sent(template):
    return OutboxMessage.objects.filter(template=template)


def test_the_first_conversation_is_reminded_once_the_day_before():
    volunteer = VolunteerFactory(
        stage=Stage.CONVERSATION_SCHEDULED, first_conversation_at=NOW + timedelta(hours=30)
    )
    later = VolunteerFactory(
        stage=Stage.CONVERSATION_SCHEDULED, first_conversation_at=NOW + timedelta(days=10)
    )

    _run_beat_many_times(NOW)

    reminders = _sent("volunteers/email/first_conversation")
    assert list(reminders.values_list("to_email", flat=True)) == [volunteer.user.email]
    assert later.user.email not in reminders.values_list("to_email", flat=True)


def test_a_new_conversation_date_is_reminded_again():
    volunteer = VolunteerFactory(
        stage=Stage.CONVERSATION_SCHEDULED, first_conversation_at=NOW + timedelta(hours=5)
    )
    send_due_reminders(now=NOW)
    volunteer.first_conversation_at = NOW + timedelta(days=3)
    volunteer.save()

    _run_beat_many_times(NOW + timedelta(days=2))

    assert _sent("volunteers/email/first_conversation").count() == 2


def test_an_expiring_clearance_reminds_the_volunteer_once_and_coordinators_in_one_digest():
    coordinator = UserFactory(role="coordinator")
    volunteer = VolunteerFactory(stage=Stage.ACTIVE, accepts_minors=True)
    renewed = VolunteerFactory(stage=Stage.ACTIVE, accepts_minors=True)
    _clearance(volunteer, NOW.date() + timedelta(days=20))
    _clearance(renewed, NOW.date() + timedelta(days=20))
    _clearance(renewed, NOW.date() + timedelta(days=1800))  # already renewed

    _run_beat_many_times(NOW - timedelta(days=7), hours=24 * 14, every=6)

    personal = _sent("volunteers/email/clearance_expiring")
    assert list(personal.values_list("to_email", flat=True)) == [volunteer.user.email]
    digests = _sent("volunteers/email/clearance_digest")
    assert list(digests.values_list("to_email", flat=True)) == [coordinator.email]
    assert volunteer.user.full_name in str(digests.get().context)
    assert renewed.user.full_name not in str(digests.get().context)


def test_withdrawn_volunteers_get_no_clearance_reminder():
    volunteer = VolunteerFactory(stage=Stage.WITHDRAWN)
    _clearance(volunteer, NOW.date() + timedelta(days=10))

    send_due_reminders(now=NOW)

    assert not _sent("volunteers/email/clearance_expiring").exists()
