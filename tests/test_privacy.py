"""GDPR rights: a full export of one person, and an erasure after which a dump of the whole
database holds none of their values while every figure of the dashboard stays the same."""

from dataclasses import asdict
from datetime import timedelta
from decimal import Decimal
from importlib import import_module

import pytest
from allauth.account.models import EmailAddress, EmailConfirmation
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from ankommen.audit.models import AuditEvent
from ankommen.messaging.models import OutboxMessage
from ankommen.messaging.services import enqueue_mail
from ankommen.privacy.registry import NEWCOMER, VOLUNTEER, erase_person, export_person
from cockpit import dashboard
from matching.models import ClosingFeedback
from matching.services import move_mentorship, record_agreement
from refugees.models import NewcomerConsent
from refugees.services import issue_access_link
from tests.database_dump import dump
from tests.factories import (
    PASSWORD,
    CheckInFactory,
    CoordinatorNoteFactory,
    HoursEntryFactory,
    HouseholdMemberFactory,
    MembershipFactory,
    MentorshipFactory,
    NeedFactory,
    NewcomerFactory,
    OfferFactory,
    PartnerFactory,
    ReferralFactory,
    SubscriptionFactory,
    UserFactory,
    VolunteerFactory,
    WorkingGroupFactory,
    give_security_key,
)
from workgroups.services import request_to_join

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()

# Marker strings in every field that describes the newcomer or the volunteer, and in every
# place the portal copies them to: mails to others, account addresses, sessions.
NEWCOMER_CANARIES = {
    "full_name": "Zainabcanary Canarynewcomer",
    "first_name": "Zainabcanary",
    "phone": "+4915112345678",
    "email": "zainab.canary@example.org",
    "account_email": "zainab.account-canary@example.org",
    "internal_notes": "CANARY-NOTES Schwangerschaft",
    "need": "CANARY-NEED Wohnung nach Trennung",
    "member": "CanaryChild",
    "goals": "CANARY-GOALS Asylverfahren",
    "meeting_place": "CANARY-PLACE Stadtbibliothek",
    "check_in": "CANARY-CHECKIN Gewalt in der Familie",
    "feedback": "CANARY-FEEDBACK",
    "referral": "CANARY-REFERRAL",
    "referral_need": "CANARY-REFERRAL-NEED",
    "referral_place": "CANARY-REFERRAL-PLACE",
    "referral_outcome": "CANARY-REFERRAL-OUTCOME",
    "referral_reason": "CANARY-REFERRAL-DECLINED",
    "security_key": "CANARY-NKEY Zainabs Schlüssel",
}
VOLUNTEER_CANARIES = {
    "full_name": "Jörg Canaryvolunteer",
    "email": "volker.canary@example.org",
    "second_email": "volker.second-canary@example.org",
    "phone": "+4917699988877",
    "skills": "CANARY-SKILLS",
    "note": "CANARY-COORDINATOR-NOTE",
    "hours": "CANARY-HOURS",
    "join_note": "CANARY-JOIN-NOTE",
    "security_key": "CANARY-KEY Volkers Schlüssel",
}


def add_unconfirmed_address(user, email):
    """An address the person added and was sent a confirmation for, as allauth does it."""
    address = EmailAddress.objects.create(user=user, email=email, verified=False, primary=False)
    address.send_confirmation(RequestFactory().get("/"))
    EmailConfirmation.create(address)


def session_exists(key: str) -> bool:
    return import_module(settings.SESSION_ENGINE).SessionStore().exists(key)


def sign_in(user) -> str:
    """A browser session of the person, as the session middleware stores it; its key."""
    client = Client()
    client.force_login(user)
    return client.session.session_key


def newcomer_with_everything(coordinator):
    newcomer = NewcomerFactory(
        full_name=NEWCOMER_CANARIES["full_name"],
        phone=NEWCOMER_CANARIES["phone"],
        email=NEWCOMER_CANARIES["email"],
        share_phone=True,
        share_email=True,
        internal_notes=NEWCOMER_CANARIES["internal_notes"],
        residence_status="tolerated",
        birth_year=1991,
    )
    NeedFactory(newcomer=newcomer, note=NEWCOMER_CANARIES["need"])
    # Documented in person: the record, and handing the contacts to the contact person.
    for purpose in (NewcomerConsent.Purpose.RECORD, NewcomerConsent.Purpose.SHARE_CONTACT):
        newcomer.consents.create(purpose=purpose, language="ar", obtained_on=TODAY)
    HouseholdMemberFactory(
        newcomer=newcomer,
        relation="child",
        age_group="6-13",
        first_name=NEWCOMER_CANARIES["member"],
    )
    issue_access_link(newcomer=newcomer, by=coordinator)
    newcomer.refresh_from_db()
    account = newcomer.user
    add_unconfirmed_address(account, NEWCOMER_CANARIES["account_email"])
    give_security_key(account, name=NEWCOMER_CANARIES["security_key"])
    # The volunteer is told who they accompany (first name, phone, district, meeting place),
    # later the mentorship ends: the mails stay with the former volunteer.
    mentorship = MentorshipFactory(volunteer=VolunteerFactory(stage="active"), newcomer=newcomer)
    move_mentorship(
        mentorship=mentorship,
        to_state="introduced",
        first_meeting_on=TODAY,
        first_meeting_place=NEWCOMER_CANARIES["meeting_place"],
    )
    move_mentorship(mentorship=mentorship, to_state="active")
    record_agreement(
        mentorship=mentorship,
        goals=NEWCOMER_CANARIES["goals"],
        meeting_frequency="",
        agreed_on=TODAY,
    )
    CheckInFactory(
        mentorship=mentorship, due_on=TODAY, token_hash="x" * 64, note=NEWCOMER_CANARIES["check_in"]
    )
    move_mentorship(mentorship=mentorship, to_state="ended", end_reason="goal_reached")
    ClosingFeedback.objects.create(
        mentorship=mentorship, side="newcomer", rating="good", comment=NEWCOMER_CANARIES["feedback"]
    )
    partner = PartnerFactory(name="Caritas", kind="counselling")
    offer = OfferFactory(partner=partner, title="Beratung", theme_id=newcomer.needs.get().theme_id)
    ReferralFactory(
        newcomer=newcomer,
        offer=offer,
        consent_on=TODAY,
        note=NEWCOMER_CANARIES["referral"],
        need_summary=NEWCOMER_CANARIES["referral_need"],
        shared_contact="phone",
        outcome="done",
        appointment_at=timezone.now(),
        appointment_place=NEWCOMER_CANARIES["referral_place"],
        outcome_note=NEWCOMER_CANARIES["referral_outcome"],
    )
    ReferralFactory(
        newcomer=newcomer,
        offer=offer,
        consent_on=TODAY,
        outcome="declined",
        decline_reason=NEWCOMER_CANARIES["referral_reason"],
    )
    SubscriptionFactory(email=NEWCOMER_CANARIES["email"], full_name=NEWCOMER_CANARIES["full_name"])
    enqueue_mail(
        to_email=NEWCOMER_CANARIES["email"],
        template="matching/email/introduced",
        language="de",
        context={"newcomer": NEWCOMER_CANARIES["full_name"]},
    )
    newcomer.refresh_from_db()
    return newcomer


def volunteer_with_everything(coordinator):
    # Withdrawn, as retention finds them: erasing someone still active withdraws them first,
    # which changes the funnel (tests/test_withdrawal.py).
    volunteer = VolunteerFactory(
        stage="withdrawn",
        user__full_name=VOLUNTEER_CANARIES["full_name"],
        user__email=VOLUNTEER_CANARIES["email"],
        phone=VOLUNTEER_CANARIES["phone"],
        skills=VOLUNTEER_CANARIES["skills"],
    )
    CoordinatorNoteFactory(volunteer=volunteer, author=coordinator, text=VOLUNTEER_CANARIES["note"])
    HoursEntryFactory(
        volunteer=volunteer, note=VOLUNTEER_CANARIES["hours"], hours=Decimal("2"), state="approved"
    )
    give_security_key(volunteer.user, name=VOLUNTEER_CANARIES["security_key"])
    add_unconfirmed_address(volunteer.user, VOLUNTEER_CANARIES["second_email"])
    enqueue_mail(
        to_email=VOLUNTEER_CANARIES["email"],
        recipient=volunteer.user,
        template="matching/email/introduced",
        language="de",
        context={"user_display": VOLUNTEER_CANARIES["full_name"]},
    )
    # The group's lead is told who asks to join: a mail about the volunteer to someone else.
    group = WorkingGroupFactory(name="AG Wohnen")
    MembershipFactory(group=group, user=UserFactory(email="lead@example.org"), lead=True)
    request_to_join(group=group, user=volunteer.user, note=VOLUNTEER_CANARIES["join_note"])
    return volunteer


def figures() -> dict:
    board = dashboard.build(TODAY)
    return {
        "funnel": [figure.value for figure in board.funnel],
        "friendships": board.friendships.value,
        "waiting": asdict(board.waiting),
        "flagged": board.attention.flagged.value,
        "volunteers": [figure.value for figure in board.attention.volunteers],
        "gaps": [figure.value for figure in board.gaps],
        "charts": [[bar.value for bar in chart.bars] for chart in board.charts],
    }


def test_erasing_a_newcomer_leaves_no_value_in_the_database_and_no_figure_changes(coordinator):
    newcomer = newcomer_with_everything(coordinator)
    session_key = sign_in(newcomer.user)
    before_dump, before = dump(), figures()
    assert [value for value in NEWCOMER_CANARIES.values() if value not in before_dump] == []
    assert session_key in before_dump

    erase_person(NEWCOMER, newcomer, by=coordinator)

    after_dump = dump()
    left = [value for value in NEWCOMER_CANARIES.values() if value in after_dump]
    assert left == []
    assert session_key not in after_dump
    assert figures() == before
    assert AuditEvent.objects.filter(action="erase", subject_id=newcomer.pk).exists()


def test_erasing_a_newcomer_empties_the_mails_their_volunteer_got_about_them(coordinator):
    newcomer = newcomer_with_everything(coordinator)
    session_key = sign_in(newcomer.user)
    about = OutboxMessage.objects.filter(template__startswith="matching/email/")
    introduced = about.get(template="matching/email/introduced", recipient__isnull=False)
    assert introduced.context["district"] == str(newcomer.district)
    assert introduced.context["phone"] == NEWCOMER_CANARIES["phone"]
    assert introduced.state == "pending"  # not yet delivered: the transaction of the test is open

    erase_person(NEWCOMER, newcomer, by=coordinator)

    introduced.refresh_from_db()
    assert introduced.context == {}
    assert introduced.state == "failed"  # and never sent now
    assert introduced.to_email == introduced.recipient.email  # the volunteer's own row stays
    assert not EmailAddress.objects.filter(user=newcomer.user).exists()
    assert not session_exists(session_key)
    assert not Authenticator.objects.filter(user=newcomer.user).exists()


def test_erasing_a_volunteer_leaves_no_value_and_no_figure_changes(coordinator):
    volunteer = volunteer_with_everything(coordinator)
    session_key = sign_in(volunteer.user)
    # A mail nobody linked to the volunteer, naming them: the last guard finds it by name.
    enqueue_mail(
        to_email="someone@example.org",
        template="volunteers/email/message",
        language="de",
        context={"body": f"Bitte melde dich bei {VOLUNTEER_CANARIES['full_name']}."},
    )
    before = figures()
    before_dump = dump()
    assert [value for value in VOLUNTEER_CANARIES.values() if value not in before_dump] == []
    assert session_key in before_dump

    erase_person(VOLUNTEER, volunteer, by=coordinator)

    after_dump = dump()
    assert [value for value in VOLUNTEER_CANARIES.values() if value in after_dump] == []
    assert session_key not in after_dump
    assert figures() == before
    volunteer.user.refresh_from_db()
    assert not volunteer.user.is_active
    assert not volunteer.user.has_usable_password()
    assert not Authenticator.objects.filter(user=volunteer.user).exists()
    assert not EmailAddress.objects.filter(user=volunteer.user).exists()


def test_the_export_holds_everything_and_is_logged(coordinator):
    newcomer = newcomer_with_everything(coordinator)

    data = export_person(NEWCOMER, newcomer, by=coordinator)

    text = str(data)
    assert all(value in text for value in NEWCOMER_CANARIES.values())
    assert "token_hash" not in text
    assert AuditEvent.objects.filter(action="export", actor_id=coordinator.pk).exists()


def test_exports_and_erasure_need_a_fresh_password(client):
    coordinator = UserFactory(role="coordinator")
    newcomer = NewcomerFactory()
    client.force_login(coordinator)

    asked = client.get(reverse("privacy:newcomer_export_json", args=[newcomer.pk]))
    assert asked.status_code == 302
    assert reverse("account_reauthenticate") in asked["Location"]

    detail = client.get(reverse("refugees:newcomer_detail", args=[newcomer.pk])).content.decode()
    assert reverse("privacy:newcomer_erase", args=[newcomer.pk]) in detail
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    exported = client.get(reverse("privacy:newcomer_export_json", args=[newcomer.pk]))
    page = client.get(reverse("privacy:newcomer_export", args=[newcomer.pk]))
    unconfirmed = client.post(reverse("privacy:newcomer_erase", args=[newcomer.pk]), {})
    erased = client.post(reverse("privacy:newcomer_erase", args=[newcomer.pk]), {"confirm": "on"})

    assert exported["Content-Type"].startswith("application/json")
    assert newcomer.full_name in exported.content.decode()
    assert page.status_code == 200
    assert unconfirmed.status_code == 200
    assert erased.status_code == 302
    newcomer.refresh_from_db()
    assert newcomer.full_name == "—"


def test_a_volunteer_downloads_their_own_data_and_nobody_elses(client):
    volunteer = VolunteerFactory(user__full_name="Omid Ahmadi")
    key = give_security_key(volunteer.user, name="Omids Schlüssel")
    client.force_login(volunteer.user)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})

    mine = client.get(reverse("privacy:my_export"))
    foreign = client.get(reverse("privacy:volunteer_export_json", args=[volunteer.pk]))

    assert "Omid Ahmadi" in mine.content.decode()
    # The export names the key, but never hands out its credential.
    assert "Omids Schlüssel" in mine.content.decode()
    assert key.data["credential"]["id"] not in mine.content.decode()
    assert foreign.status_code == 403


def test_an_old_sign_in_is_not_fresh_enough(client):
    coordinator = UserFactory(role="coordinator")
    client.force_login(coordinator)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    session = client.session
    for method in session["account_authentication_methods"]:
        method["at"] -= timedelta(hours=1).total_seconds()
    session.save()

    response = client.get(reverse("privacy:volunteer_export_json", args=[VolunteerFactory().pk]))

    assert response.status_code == 302
