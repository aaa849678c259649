"""The partner's answers to a referral are a small state machine under a row lock; a move it
does not allow, and any move after the consent was withdrawn, is refused with a message."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from ankommen.accounts.models import Role
from ankommen.audit.models import AuditEvent
from tests.concurrency import all_at_once
from tests.factories import NewcomerFactory, OfferFactory, ReferralFactory, UserFactory
from workgroups.network import (
    accept_referral,
    decline_referral,
    refer_newcomer,
    report_referral_outcome,
    set_referral_outcome,
    withdraw_referral_consent,
)
from workgroups.services import WorkgroupError
from workgroups.services.referrals import PARTNER_MOVES

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The texts asserted here are the English ones: pages and messages in English."""
    with translation.override("en"):
        yield


@pytest.fixture
def partner_person():
    return UserFactory(role=Role.PARTNER)


def test_accept_then_report_done_records_who_answered_and_when(partner_person):
    referral = ReferralFactory()
    when = timezone.now() + timedelta(days=3)

    accept_referral(
        referral=referral, by=partner_person, appointment_at=when, appointment_place="Raum 3"
    )
    done = report_referral_outcome(referral=referral, by=partner_person, outcome="done", note="gut")

    assert (done.outcome, done.outcome_note, done.appointment_at) == ("done", "gut", when)
    assert done.answered_by == partner_person
    assert done.outcome_changed_at is not None
    assert AuditEvent.objects.filter(
        action="change", subject_type="referral", subject_id=referral.pk, actor_id=partner_person.pk
    ).exists()


@pytest.mark.parametrize(
    ("state", "move"),
    [
        ("waiting", "report"),
        ("declined", "accept"),
        ("declined", "report"),
        ("done", "decline"),
        ("no_show", "accept"),
    ],
)
def test_a_move_the_state_does_not_allow_is_refused(partner_person, state, move):
    referral = ReferralFactory(outcome=state)
    moves = {
        "accept": lambda: accept_referral(referral=referral, by=partner_person),
        "decline": lambda: decline_referral(referral=referral, by=partner_person, reason="voll"),
        "report": lambda: report_referral_outcome(
            referral=referral, by=partner_person, outcome="done"
        ),
    }

    with pytest.raises(WorkgroupError):
        moves[move]()

    referral.refresh_from_db()
    assert referral.outcome == state


def test_every_state_has_its_moves_and_the_ends_have_none():
    assert set(PARTNER_MOVES) == {"waiting", "accepted", "done", "declined", "no_show"}
    assert not PARTNER_MOVES["done"] | PARTNER_MOVES["declined"] | PARTNER_MOVES["no_show"]


def test_declining_needs_a_reason_and_clears_the_appointment(partner_person):
    referral = ReferralFactory()
    accept_referral(
        referral=referral,
        by=partner_person,
        appointment_at=timezone.now() + timedelta(days=1),
        appointment_place="Raum 3",
    )

    with pytest.raises(WorkgroupError, match="why"):
        decline_referral(referral=referral, by=partner_person, reason=" ")
    declined = decline_referral(referral=referral, by=partner_person, reason="Doch kein Platz")

    assert (declined.outcome, declined.appointment_at, declined.appointment_place) == (
        "declined",
        None,
        "",
    )


def test_an_appointment_lies_ahead_and_a_place_needs_a_time(partner_person):
    referral = ReferralFactory()

    with pytest.raises(WorkgroupError, match="future"):
        accept_referral(
            referral=referral, by=partner_person, appointment_at=timezone.now() - timedelta(hours=1)
        )
    with pytest.raises(WorkgroupError, match="date and time"):
        accept_referral(referral=referral, by=partner_person, appointment_place="Raum 3")


def test_after_withdrawal_nobody_changes_the_referral(partner_person, coordinator):
    referral = ReferralFactory()
    withdraw_referral_consent(referral=referral, by=coordinator)

    with pytest.raises(WorkgroupError, match="withdrawn"):
        accept_referral(referral=referral, by=partner_person)
    with pytest.raises(WorkgroupError, match="withdrew"):
        set_referral_outcome(referral=referral, outcome="done", by=coordinator)
    again = withdraw_referral_consent(referral=referral, by=coordinator)

    assert again.consent_withdrawn_by == coordinator
    assert again.outcome == "waiting"


def test_a_contact_is_shared_only_when_the_record_has_it(coordinator):
    newcomer, offer = NewcomerFactory(phone="", email=""), OfferFactory()

    for contact in ("phone", "email"):
        with pytest.raises(WorkgroupError, match="no"):
            refer_newcomer(
                newcomer=newcomer,
                offer=offer,
                consent_on=timezone.localdate(),
                consent_language="ar",
                shared_contact=contact,
                by=coordinator,
            )
    referral = refer_newcomer(
        newcomer=newcomer,
        offer=offer,
        consent_on=timezone.localdate(),
        consent_language="ar",
        shared_contact="coordinator",
        need_summary="  Deutschkurs am Abend  ",
        by=coordinator,
    )

    assert (referral.shared_contact, referral.need_summary) == (
        "coordinator",
        "Deutschkurs am Abend",
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("seeded_vocabulary")  # an offer needs a theme; a flush removed them
def test_two_people_answering_at_once_give_one_answer_and_one_message():
    """Two staff of one organisation open the same new referral and both decline it, each
    with their own reason. Under the row lock the first answer stands and the second is
    refused (a declined referral is final): never one person's reason under the other's
    name, never an answer silently overwritten."""
    referral = ReferralFactory()
    first, second = (UserFactory(role=Role.PARTNER) for _ in range(2))
    reasons = {first: "Voll bis März", second: "Kein Angebot für Kinder"}

    errors = all_at_once(
        [
            lambda person=person: decline_referral(
                referral=referral, by=person, reason=reasons[person]
            )
            for person in (first, second)
        ]
    )

    referral.refresh_from_db()
    assert [type(error) for error in errors] == [WorkgroupError]
    assert referral.outcome == "declined"
    assert referral.decline_reason == reasons[referral.answered_by]
