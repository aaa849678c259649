from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from ankommen.vocabulary.models import Language, Theme
from tests.factories import HoursEntryFactory, UserFactory, VolunteerFactory
from volunteers import services
from volunteers.consent import CONSENT_VERSION
from volunteers.models import HoursEntry, Stage, Volunteer, VolunteerConsent
from volunteers.selectors import referral_overview

pytestmark = pytest.mark.django_db


def test_starting_records_the_consent_version_text_and_time():
    user = UserFactory()

    volunteer = services.start_volunteering(user=user, language="fa", ip="203.0.113.9")

    consent = VolunteerConsent.objects.get(volunteer=volunteer)
    assert consent.text_version == CONSENT_VERSION
    assert consent.language == "fa"
    assert consent.ip_address == "203.0.113.9"
    assert consent.agreed_at is not None
    assert len(consent.text) > 100
    assert volunteer.stage == Stage.APPLIED
    assert services.has_current_consent(volunteer)


def test_the_wizard_remembers_its_progress_and_completes_at_the_last_step():
    volunteer = services.start_volunteering(user=UserFactory(), language="de", ip=None)

    services.complete_wizard_step(volunteer=volunteer, step=2, by=volunteer.user)
    services.complete_wizard_step(
        volunteer=volunteer, step=1, by=volunteer.user
    )  # editing an earlier step
    assert volunteer.wizard_step == 2
    assert volunteer.profile_completed_at is None

    services.complete_wizard_step(volunteer=volunteer, step=4, by=volunteer.user)
    assert volunteer.profile_completed_at is not None


def test_languages_are_replaced_by_the_new_list():
    volunteer = VolunteerFactory()
    arabic, english, farsi = (Language.objects.get(code=c) for c in ("ar", "en", "fa"))
    services.set_languages(volunteer=volunteer, skills=[(arabic, "native"), (english, "basic")])

    services.set_languages(volunteer=volunteer, skills=[(english, "fluent"), (farsi, "basic")])

    assert dict(volunteer.languages.values_list("language__code", "level")) == {
        "en": "fluent",
        "fa": "basic",
    }


def test_hours_can_be_logged_for_past_days_only():
    volunteer = VolunteerFactory()

    with pytest.raises(services.VolunteerError):
        services.log_hours(
            volunteer=volunteer,
            worked_on=timezone.localdate() + timedelta(days=1),
            hours=Decimal("2"),
            theme=None,
            note="",
        )
    entry = services.log_hours(
        volunteer=volunteer,
        worked_on=timezone.localdate(),
        hours=Decimal("2.5"),
        theme=None,
        note="Behördengang",
    )
    assert entry.state == HoursEntry.State.SUBMITTED
    assert entry.hours_submitted == Decimal("2.5")


def test_a_coordinator_approves_with_a_correction_and_the_original_stays(coordinator):
    entry = HoursEntryFactory(hours=Decimal("5"), hours_submitted=Decimal("5"))

    services.review_hours(entry=entry, by=coordinator, approve=True, hours=Decimal("3.5"))

    entry.refresh_from_db()
    assert entry.state == HoursEntry.State.APPROVED
    assert (entry.hours, entry.hours_submitted) == (Decimal("3.5"), Decimal("5"))
    assert entry.reviewed_by == coordinator
    with pytest.raises(services.VolunteerError):
        services.review_hours(entry=entry, by=coordinator, approve=False)


def test_declined_and_reviewed_hours_cannot_be_removed_by_the_volunteer(coordinator):
    entry = HoursEntryFactory()
    services.review_hours(entry=entry, by=coordinator, approve=False)

    with pytest.raises(services.VolunteerError):
        services.delete_own_hours(entry=entry)


@pytest.mark.parametrize(
    ("seen", "issued", "until"),
    [(-1, -10, -20), (-20, -10, 100), (5, -10, 100)],
)
def test_impossible_clearance_dates_are_refused(coordinator, seen, issued, until):
    today = timezone.localdate()

    with pytest.raises(services.VolunteerError):
        services.record_clearance(
            volunteer=VolunteerFactory(),
            seen_on=today + timedelta(days=seen),
            issued_on=today + timedelta(days=issued),
            valid_until=today + timedelta(days=until),
            by=coordinator,
        )


def test_referral_overview_counts_multipliers_chains_and_who_became_active():
    first = VolunteerFactory(stage=Stage.ACTIVE)
    second = VolunteerFactory(stage=Stage.ACTIVE, user__referred_by=first.user)
    VolunteerFactory(stage=Stage.APPLIED, user__referred_by=second.user)
    VolunteerFactory(stage=Stage.READY, user__referred_by=first.user)

    overview = referral_overview()

    assert overview["referred_total"] == 3
    assert overview["max_chain_depth"] == 2
    top = overview["multipliers"][0]
    assert (top["user_id"], top["recruits"], top["became_active"]) == (first.user_id, 2, 2)


def test_a_message_to_selected_volunteers_goes_through_the_outbox(
    coordinator, django_capture_on_commit_callbacks, mailoutbox
):
    volunteers = [VolunteerFactory(), VolunteerFactory()]

    with django_capture_on_commit_callbacks(execute=True):
        count = services.send_message_to_volunteers(
            volunteers=Volunteer.objects.filter(pk__in=[v.pk for v in volunteers]),
            by=coordinator,
            subject="Sommerfest",
            body="Am Samstag feiern wir!",
        )

    assert count == 2
    assert {m.subject for m in mailoutbox} == {"[Ankommen] Sommerfest"}
    assert "Am Samstag feiern wir!" in mailoutbox[0].body


def test_newsletter_segments_by_district_and_interest_reach_current_volunteers_only():
    from ankommen.messaging.segments import recipients_for
    from ankommen.vocabulary.models import District
    from tests.factories import SubscriptionFactory

    mitte = District.objects.get(slug="mitte")
    housing = Theme.objects.get(slug="housing")
    staying = VolunteerFactory(district=mitte)
    staying.themes.add(housing)
    gone = VolunteerFactory(district=mitte, stage=Stage.WITHDRAWN)
    gone.themes.add(housing)
    for volunteer in (staying, gone):
        SubscriptionFactory(email=volunteer.user.email, user=volunteer.user)

    assert [s.user for s in recipients_for("district", "mitte")] == [staying.user]
    assert [s.user for s in recipients_for("theme", "housing")] == [staying.user]


def test_starting_gives_the_volunteer_an_invite_code():
    user = UserFactory()

    services.start_volunteering(user=user, language="de", ip=None)

    user.refresh_from_db()
    assert user.invite_code
