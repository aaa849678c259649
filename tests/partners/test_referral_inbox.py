"""Referrals reach the partner organisation: the coordinator refers with the newcomer's consent
and says what may be handed over, the partner sees only that, answers, and the coordinator and
the newcomer see the answer; withdrawn consent and erasure take the referral out of the
partner's view at once."""

import html
import logging
from datetime import date

import pytest
from babel.dates import format_date
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from ankommen.accounts.models import Role
from ankommen.audit.models import AuditEvent
from ankommen.privacy.registry import NEWCOMER, erase_person
from ankommen.vocabulary.models import Language
from partners.models import PartnerStaff
from refugees.services import issue_access_link
from tests.factories import (
    NewcomerFactory,
    NewcomerLanguageFactory,
    OfferFactory,
    PartnerFactory,
    ReferralFactory,
    UserFactory,
)
from workgroups.models import Referral

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The texts asserted here are the English ones: pages and messages in English."""
    with translation.override("en"):
        yield


PHONE = "+4915112345678"
EMAIL = "amina.haddad@example.org"
NOTES = "Nur intern: Arztbrief liegt vor"
NEED = "Sucht eine Wohnung für sich und zwei Kinder."


def _page(response) -> str:
    assert response.status_code == 200, response.status_code
    return html.unescape(response.content.decode())


def _staff(partner, **user):
    person = UserFactory(role=Role.PARTNER, second_factor=True, **user)
    PartnerStaff.objects.create(partner=partner, user=person, accepted_at=timezone.now())
    return person


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def caritas():
    return PartnerFactory(name="Caritas Wohnberatung")


@pytest.fixture
def offer(caritas):
    return OfferFactory(partner=caritas, title="Wohnungssuche")


@pytest.fixture
def amina():
    newcomer = NewcomerFactory(
        full_name="Amina Haddad",
        phone=PHONE,
        email=EMAIL,
        internal_notes=NOTES,
        residence_status="tolerated",
        birth_year=1990,
        preferred_language="ar",
    )
    NewcomerLanguageFactory(newcomer=newcomer, language=Language.objects.get(code="ar"))
    return newcomer


def _refer(client, newcomer, offer, *, contact="phone", need=NEED):
    return client.post(
        reverse("workgroups:referrals"),
        {
            "newcomer": newcomer.pk,
            "offer": offer.pk,
            "consent_on": timezone.localdate().isoformat(),
            "consent_language": "ar",
            "need_summary": need,
            "shared_contact": contact,
        },
    )


def test_the_whole_way_from_consent_to_outcome(
    caritas, offer, amina, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    partner = _staff(caritas, preferred_language="de")
    office = _client(coordinator)

    # The coordinator refers, with the newcomer's consent to hand over name, need and phone.
    with django_capture_on_commit_callbacks(execute=True):
        assert _refer(office, amina, offer).status_code == 302
    referral = Referral.objects.get()
    assert (referral.shared_contact, referral.need_summary) == ("phone", NEED)
    (told,) = mailoutbox
    assert told.to == [partner.email]
    assert "Wohnungssuche" in told.body
    assert "Amina" not in told.body + told.subject

    # The partner sees the first name, languages, need and the phone; nothing else.
    desk = _client(partner)
    inbox = _page(desk.get(reverse("partners:referral_inbox")))
    assert "Amina" in inbox
    assert "Haddad" not in inbox
    detail = _page(desk.get(reverse("partners:referral_detail", args=[referral.pk])))
    assert all(shown in detail for shown in ("Amina", NEED, PHONE, "العربية"))
    assert all(hidden not in detail for hidden in ("Haddad", EMAIL, NOTES, "1990", "Duldung"))

    # The partner accepts with an appointment.
    with django_capture_on_commit_callbacks(execute=True):
        accepted = desk.post(
            reverse("partners:referral_accept", args=[referral.pk]),
            {"appointment_at": "2030-01-04T14:05", "appointment_place": "Raum 3"},
        )
    assert accepted.status_code == 302
    referral.refresh_from_db()
    assert referral.outcome == "accepted"
    assert referral.answered_by == partner
    assert timezone.localtime(referral.appointment_at).hour == 14

    # The newcomer's own view shows it, in Arabic with an Arabic date.
    card = issue_access_link(newcomer=amina, by=coordinator)
    own = Client()
    own.get(f"/n/{card.token}/")
    appointments = _page(own.get("/ar/me/appointments/"))
    assert format_date(date(2030, 1, 4), "long", locale="ar") in appointments
    assert "4 يناير 2030" in appointments
    assert "Raum 3" in appointments
    assert "Wohnungssuche" in appointments

    # Later the partner reports that it is done.
    with django_capture_on_commit_callbacks(execute=True):
        reported = desk.post(
            reverse("partners:referral_report", args=[referral.pk]),
            {"outcome": "done", "note": "Wohnung gefunden"},
        )
    assert reported.status_code == 302

    # The coordinator got a mail for each answer and sees the state on the referrals page.
    to_coordinator = [mail for mail in mailoutbox if mail.to == [coordinator.email]]
    assert len(to_coordinator) == 2
    assert "Raum 3" in to_coordinator[0].body
    assert "Wohnung gefunden" in to_coordinator[1].body
    assert all("Amina" not in mail.body for mail in to_coordinator)
    page = _page(office.get(reverse("workgroups:referrals")))
    assert "Wohnung gefunden" in page
    assert "Raum 3" in page
    assert partner.display_name in page


def test_declining_needs_a_reason_and_the_coordinator_reads_it(
    offer, caritas, mailoutbox, django_capture_on_commit_callbacks
):
    coordinator = UserFactory(role=Role.COORDINATOR)
    referral = ReferralFactory(offer=offer, referred_by=coordinator)
    desk = _client(_staff(caritas))
    url = reverse("partners:referral_decline", args=[referral.pk])

    refused = desk.post(url, {"reason": "  "})

    assert "Please say why you decline." in _page(refused)
    referral.refresh_from_db()
    assert referral.outcome == "waiting"

    with django_capture_on_commit_callbacks(execute=True):
        assert desk.post(url, {"reason": "Keine Plätze bis Juni"}).status_code == 302
    referral.refresh_from_db()
    assert (referral.outcome, referral.decline_reason) == ("declined", "Keine Plätze bis Juni")
    (mail,) = mailoutbox
    assert mail.to == [coordinator.email]
    assert "Keine Plätze bis Juni" in mail.body


def test_without_the_referring_coordinator_every_coordinator_hears(
    offer, caritas, mailoutbox, django_capture_on_commit_callbacks
):
    gone = UserFactory(role=Role.COORDINATOR, is_active=False)
    others = [UserFactory(role=Role.COORDINATOR) for _ in range(2)]
    referral = ReferralFactory(offer=offer, referred_by=gone)
    desk = _client(_staff(caritas))

    with django_capture_on_commit_callbacks(execute=True):
        desk.post(reverse("partners:referral_accept", args=[referral.pk]), {})

    assert sorted(mail.to[0] for mail in mailoutbox) == sorted(p.email for p in others)


def test_an_answer_the_state_no_longer_allows_is_refused_with_a_message(offer, caritas):
    referral = ReferralFactory(offer=offer, outcome="declined", decline_reason="voll")
    desk = _client(_staff(caritas))

    page = _page(
        desk.post(reverse("partners:referral_report", args=[referral.pk]), {"outcome": "done"})
    )

    assert "no longer possible" in page
    referral.refresh_from_db()
    assert referral.outcome == "declined"


def test_another_organisations_referral_is_missing_and_the_refusal_is_logged(
    offer, caritas, caplog
):
    referral = ReferralFactory(offer=offer)
    stranger = _client(_staff(PartnerFactory(name="Tafel Süd")))

    with caplog.at_level(logging.WARNING, logger="ankommen.security"):
        seen = stranger.get(reverse("partners:referral_detail", args=[referral.pk]))
        answered = stranger.post(reverse("partners:referral_accept", args=[referral.pk]), {})

    assert (seen.status_code, answered.status_code) == (404, 404)
    refusals = [r for r in caplog.records if r.name == "ankommen.security"]
    assert len(refusals) == 2
    assert "workgroups.Referral" in refusals[0].getMessage()
    assert referral.newcomer.first_name not in _page(
        stranger.get(reverse("partners:referral_inbox"))
    )
    referral.refresh_from_db()
    assert referral.outcome == "waiting"


def test_coordinators_and_people_without_an_organisation_have_no_inbox(offer, coordinator):
    ReferralFactory(offer=offer)

    assert _client(coordinator).get(reverse("partners:referral_inbox")).status_code == 403
    assert _client(UserFactory(role=Role.PARTNER)).get(
        reverse("partners:referral_inbox")
    ).status_code in (302, 403)


def test_each_opening_of_a_referral_is_recorded_as_a_read(offer, caritas):
    referral = ReferralFactory(offer=offer)
    person = _staff(caritas)
    desk = _client(person)

    desk.get(reverse("partners:referral_detail", args=[referral.pk]))
    desk.get(reverse("partners:referral_detail", args=[referral.pk]))

    reads = AuditEvent.objects.filter(
        action="read", subject_type="newcomer", subject_id=referral.newcomer_id
    )
    assert reads.count() == 2
    assert {(read.actor_id, read.details["via"]) for read in reads} == {
        (person.pk, "partners:referral_detail")
    }


def test_withdrawn_consent_takes_the_referral_out_of_the_partners_view_at_once(
    offer, caritas, amina, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    referral = ReferralFactory(
        newcomer=amina, offer=offer, shared_contact="phone", referred_by=coordinator
    )
    partner = _staff(caritas)
    desk = _client(partner)
    assert PHONE in _page(desk.get(reverse("partners:referral_detail", args=[referral.pk])))
    office = _client(coordinator)
    url = reverse("workgroups:referral_withdraw", args=[referral.pk])
    assert "told by e-mail" in _page(office.get(url))

    with django_capture_on_commit_callbacks(execute=True):
        assert office.post(url).status_code == 302

    assert desk.get(reverse("partners:referral_detail", args=[referral.pk])).status_code == 404
    inbox = _page(desk.get(reverse("partners:referral_inbox")))
    assert "Amina" not in inbox
    assert PHONE not in inbox
    home = _page(desk.get(reverse("partners:home")))
    assert "0 new referrals" in home
    (mail,) = mailoutbox
    assert mail.to == [partner.email]
    # In the reader's language (German here), naming the organisation and nobody else.
    assert "zurückgezogen" in mail.subject
    assert "Amina" not in mail.subject + mail.body
    # Nobody answers it any more, and the coordinators' page says what happened.
    assert desk.post(reverse("partners:referral_accept", args=[referral.pk])).status_code == 404
    assert "Consent withdrawn" in _page(office.get(reverse("workgroups:referrals")))
    referral.refresh_from_db()
    assert referral.outcome == "waiting"


def test_erasing_the_newcomer_takes_their_referrals_out_of_the_partners_view(
    offer, caritas, amina, coordinator
):
    referral = ReferralFactory(newcomer=amina, offer=offer, need_summary=NEED)
    desk = _client(_staff(caritas))

    erase_person(NEWCOMER, amina, by=coordinator)

    assert desk.get(reverse("partners:referral_detail", args=[referral.pk])).status_code == 404
    referral.refresh_from_db()
    assert referral.need_summary == ""
    assert referral.is_withdrawn


def test_the_desk_counts_new_referrals_per_organisation(offer, caritas):
    second = PartnerFactory(name="Tafel Nord")
    person = _staff(caritas)
    PartnerStaff.objects.create(partner=second, user=person, accepted_at=timezone.now())
    ReferralFactory.create_batch(2, offer=offer)
    ReferralFactory(offer=offer, outcome="accepted")
    ReferralFactory(offer=offer, consent_withdrawn_at=timezone.now())
    ReferralFactory(offer=OfferFactory(partner=second))

    home = _page(_client(person).get(reverse("partners:home")))

    assert "2 new referrals wait for an answer." in home
    assert "1 new referral waits for an answer." in home
    assert reverse("partners:referral_inbox") in home


def test_the_inbox_filters_by_state_newest_first(offer, caritas):
    older = ReferralFactory(offer=offer, newcomer=NewcomerFactory(full_name="Olderperson A"))
    newer = ReferralFactory(offer=offer, newcomer=NewcomerFactory(full_name="Newerperson B"))
    ReferralFactory(
        offer=offer, newcomer=NewcomerFactory(full_name="Finishedperson C"), outcome="done"
    )
    Referral.objects.filter(pk=older.pk).update(created_at=newer.created_at.replace(year=2024))
    desk = _client(_staff(caritas))

    waiting = _page(desk.get(reverse("partners:referral_inbox"), {"state": "waiting"}))
    everything = _page(desk.get(reverse("partners:referral_inbox"), {"state": "nonsense"}))

    assert waiting.index("Newerperson") < waiting.index("Olderperson")
    assert "Finishedperson" not in waiting
    assert "Finishedperson" in everything


@pytest.mark.parametrize("count", [3, 30])
def test_the_inbox_and_the_desk_take_a_fixed_number_of_queries(
    offer, caritas, count, django_assert_max_num_queries
):
    for _ in range(count):
        referral = ReferralFactory(offer=offer, shared_contact="coordinator")
        NewcomerLanguageFactory(
            newcomer=referral.newcomer, language=Language.objects.get(code="ar")
        )
    desk = _client(_staff(caritas))
    desk.get(reverse("partners:home"))  # the menu and sessions warm up

    with django_assert_max_num_queries(12):
        inbox = desk.get(reverse("partners:referral_inbox"))
    with django_assert_max_num_queries(12):
        home = desk.get(reverse("partners:home"))

    assert inbox.status_code == home.status_code == 200
    assert f"{count} new referrals" in home.content.decode()
