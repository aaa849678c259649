from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from ankommen.messaging.models import OutboxMessage
from ankommen.messaging.services.reminders import (
    REMINDERS,
    DueReminder,
    ReminderSource,
    send_due_reminders,
)
from tests.factories import UserFactory, VolunteerFactory
from volunteers.services import withdraw

pytestmark = pytest.mark.django_db

MONDAY = datetime(2026, 11, 23, 7, 0, tzinfo=ZoneInfo("Europe/Berlin"))


def _inactive_since(days: int, now=MONDAY, full_name="Volunteer"):
    volunteer = VolunteerFactory(
        user__full_name=full_name, last_activity_at=now - timedelta(days=days)
    )
    return volunteer.user


def test_each_reminder_is_sent_once_however_often_beat_runs(mailoutbox):
    lea = UserFactory(email="lea@example.org", preferred_language="de")
    source = ReminderSource(
        "test-occasions",
        lambda now: [
            DueReminder(person=lea, occasion="account/password_changed", key="session-7:person-3")
        ],
    )

    with REMINDERS.register_temporarily(source):
        runs = [send_due_reminders(now=MONDAY) for _ in range(5)]

    assert runs == [1, 0, 0, 0, 0]
    assert OutboxMessage.objects.filter(category=OutboxMessage.Category.REMINDER).count() == 1


def test_coordinators_get_one_weekly_digest_of_volunteers_who_fell_silent(
    mailoutbox, django_capture_on_commit_callbacks
):
    coordinators = [UserFactory(role="coordinator"), UserFactory(role="coordinator")]
    crossed_last_week = _inactive_since(95, full_name="Paul Silent")
    _inactive_since(60, full_name="Still Active")
    _inactive_since(200, full_name="Long Gone")

    with django_capture_on_commit_callbacks(execute=True):
        for hour in range(0, 48, 6):  # beat runs many times over two days
            send_due_reminders(now=MONDAY + timedelta(hours=hour))

    assert sorted(mail.to[0] for mail in mailoutbox) == sorted(c.email for c in coordinators)
    body = mailoutbox[0].body
    assert crossed_last_week.full_name in body
    assert "Still Active" not in body
    assert "Long Gone" not in body


def test_silence_is_the_volunteers_last_activity_as_in_the_card_file_not_the_last_sign_in(
    mailoutbox, django_capture_on_commit_callbacks
):
    UserFactory(role="coordinator")
    # Signed in last week, but nothing recorded for 95 days: the card file lists them as
    # silent (its filter reads last_activity_at), and so must the digest.
    silent = _inactive_since(95, full_name="Signed In Only")
    type(silent).objects.filter(pk=silent.pk).update(last_login=MONDAY - timedelta(days=3))
    # Active a week ago, last sign-in long ago: not silent.
    busy = _inactive_since(7, full_name="Logs Hours")
    type(busy).objects.filter(pk=busy.pk).update(last_login=MONDAY - timedelta(days=95))

    with django_capture_on_commit_callbacks(execute=True):
        send_due_reminders(now=MONDAY)

    assert len(mailoutbox) == 1
    assert "Signed In Only" in mailoutbox[0].body
    assert "Logs Hours" not in mailoutbox[0].body


def test_a_volunteer_who_withdrew_is_not_listed_as_silent(mailoutbox):
    UserFactory(role="coordinator")
    gone = _inactive_since(95, full_name="Withdrew In August")
    withdraw(volunteer=gone.volunteer, by=gone, reason="moved away")
    # Withdrawing is activity too; what matters is that a withdrawn person is never listed.
    type(gone.volunteer).objects.filter(pk=gone.volunteer.pk).update(
        last_activity_at=MONDAY - timedelta(days=95)
    )

    assert send_due_reminders(now=MONDAY) == 0


def test_no_digest_when_nobody_fell_silent(mailoutbox):
    UserFactory(role="coordinator")
    _inactive_since(10)

    assert send_due_reminders(now=MONDAY) == 0
