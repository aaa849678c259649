from datetime import timedelta

import pytest
from django.utils import timezone, translation

from ankommen.messaging.services.reminders import send_due_reminders
from ankommen.vocabulary.models import Language, Theme
from tests.factories import (
    LanguageSkillFactory,
    NetworkEventFactory,
    NewcomerFactory,
    OfferFactory,
    PartnerFactory,
    UserFactory,
    VolunteerFactory,
)
from volunteers.availability import mask_for, slot
from volunteers.models import Stage
from workgroups.models import EventResponse, MediatorRequest, Referral
from workgroups.network import (
    accept_mediation,
    mediators_for,
    refer_newcomer,
    request_mediator,
    set_referral_outcome,
)
from workgroups.services import WorkgroupError, reply_to_event

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _offer():
    partner = PartnerFactory(name="Caritas", kind="counselling")
    return OfferFactory(
        partner=partner, title="Wohnberatung", theme=Theme.objects.get(slug="housing")
    )


def test_a_referral_needs_the_newcomers_consent_and_tracks_its_outcome(coordinator):
    newcomer, offer = NewcomerFactory(), _offer()

    with pytest.raises(WorkgroupError, match="consent"):
        refer_newcomer(
            newcomer=newcomer, offer=offer, consent_on=None, consent_language="ar", by=coordinator
        )
    referral = refer_newcomer(
        newcomer=newcomer,
        offer=offer,
        consent_on=timezone.localdate(),
        consent_language="ar",
        by=coordinator,
    )
    set_referral_outcome(referral=referral, outcome="accepted")
    set_referral_outcome(referral=referral, outcome="done")

    referral.refresh_from_db()
    assert (referral.outcome, referral.consent_language, referral.referred_by) == (
        "done",
        "ar",
        coordinator,
    )
    with pytest.raises(WorkgroupError):
        set_referral_outcome(referral=referral, outcome="lost")


def test_referring_through_the_page_without_consent_keeps_the_entries(client, coordinator):
    newcomer, offer = NewcomerFactory(), _offer()
    client.force_login(coordinator)

    response = client.post(
        "/en/network/referrals/",
        {"newcomer": newcomer.pk, "offer": offer.pk, "consent_language": "ar"},
    )

    assert response.status_code == 200
    assert "consent" in str(response.context["form"].non_field_errors())
    assert not Referral.objects.exists()


def _mediator(language, *, free_slot):
    volunteer = VolunteerFactory(
        stage=Stage.ACTIVE, wants_language_mediator=True, availability=mask_for([free_slot])
    )
    LanguageSkillFactory(volunteer=volunteer, language=language, level="native")
    return volunteer.user


def test_a_mediator_request_is_offered_to_those_who_speak_it_and_are_free(
    coordinator, django_capture_on_commit_callbacks, mailoutbox
):
    arabic, german = Language.objects.get(code="ar"), Language.objects.get(code="de")
    monday_morning = timezone.make_aware(timezone.datetime(2031, 3, 3, 9, 0))
    fits = _mediator(arabic, free_slot=slot(0, 0))
    busy_then = _mediator(arabic, free_slot=slot(2, 0))
    other_language = _mediator(Language.objects.get(code="fa"), free_slot=slot(0, 0))

    with django_capture_on_commit_callbacks(execute=True):
        request, offered = request_mediator(
            by=coordinator,
            language=arabic,
            other_language=german,
            starts_at=monday_morning,
            ends_at=monday_morning + timedelta(hours=1),
            place="Ausländerbehörde",
            topic="Aufenthalt",
            is_confidential=True,
        )

    assert offered == 1
    assert [m.to[0] for m in mailoutbox] == [fits.email]
    assert "Aufenthalt" not in mailoutbox[0].body  # confidential until someone accepts
    # Not free on Monday mornings, or not speaking Arabic: not offered.
    assert mediators_for(request) == [fits]
    assert busy_then.pk != fits.pk
    assert other_language.pk != fits.pk

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        accept_mediation(request=request, mediator=fits)
    request.refresh_from_db()
    assert (request.state, request.mediator) == (MediatorRequest.State.ACCEPTED, fits)
    assert sorted(m.to[0] for m in mailoutbox) == sorted([fits.email, coordinator.email])
    assert "Aufenthalt" in mailoutbox[0].body
    with pytest.raises(WorkgroupError):
        accept_mediation(request=request, mediator=fits)


def test_event_replies_are_kept_once_per_person_and_yes_gets_a_reminder(
    django_capture_on_commit_callbacks, mailoutbox
):
    event = NetworkEventFactory(
        title="Netzwerkkonferenz", starts_at=timezone.now() + timedelta(hours=20)
    )
    volunteer = UserFactory()
    partner = PartnerFactory(name="Stadt", kind="municipality", contact_email="amt@example.org")

    reply_to_event(event=event, user=volunteer, answer="no")
    reply_to_event(event=event, user=volunteer, answer="yes")
    reply_to_event(event=event, partner=partner, answer="yes")
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            send_due_reminders()

    assert EventResponse.objects.filter(event=event).count() == 2
    assert sorted(m.to[0] for m in mailoutbox) == sorted([volunteer.email, "amt@example.org"])


def test_past_events_take_no_replies():
    event = NetworkEventFactory(title="Vorbei", starts_at=timezone.now() - timedelta(days=1))

    with pytest.raises(WorkgroupError):
        reply_to_event(event=event, user=UserFactory(), answer="yes")


def test_the_partner_page_records_needs_for_coordinators_only(client, coordinator):
    partner = PartnerFactory(name="Unterkunft Nord", kind="shelter")
    need = {"theme": Theme.objects.get(slug="housing").pk, "description": "Kinderbetten"}
    client.force_login(VolunteerFactory().user)

    assert client.post(f"/en/network/partners/{partner.pk}/", need).status_code == 403
    client.force_login(coordinator)
    client.post(f"/en/network/partners/{partner.pk}/", need)

    assert partner.needs.get().description == "Kinderbetten"
