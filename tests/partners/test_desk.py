"""The partner desk: staff keep their organisation's profile, offers and needs, reply to network
events and see the network in aggregate; another organisation's records are missing (404), and
someone whose access ended is refused (403)."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone, translation

from ankommen.audit.models import AuditEvent
from ankommen.vocabulary.models import District, Language, Theme
from partners.models import PartnerStaff
from partners.services import end_access
from tests.factories import (
    NeedFactory,
    NetworkEventFactory,
    NewcomerFactory,
    OfferFactory,
    PartnerFactory,
    PartnerNeedFactory,
    TaskFactory,
    UserFactory,
)
from tests.partners.desk_support import acting_for, client_for
from translations.models import TranslationTask
from workgroups.models import EventResponse, Offer, Partner, PartnerNeed

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def caritas(db):
    return PartnerFactory(name="Caritas Nord", contact_email="kontakt@caritas.example")


@pytest.fixture
def other(db):
    return PartnerFactory(name="Diakonie Süd")


@pytest.fixture
def staff(caritas):
    return acting_for(caritas, full_name="Samira Haddad", email="samira@caritas.example")


@pytest.fixture
def client(staff):
    return client_for(staff)


def _url(name, *args):
    return reverse(f"partners:{name}", args=args)


def _entries(record, action):
    return AuditEvent.objects.filter(
        subject_type=record._meta.model_name, subject_id=record.pk, action=action
    )


def _profile_form(**changes):
    data = {
        "kind": "shelter",
        "contact_name": "Frau Weber",
        "contact_email": "weber@caritas.example",
        "contact_phone": "0511 4711",
        "address": "Lindener Marktplatz 1",
        "latitude": "52.36",
        "longitude": "9.72",
        "districts": [District.objects.get(slug="nord").pk],
        "themes": [Theme.objects.get(slug="housing").pk],
    }
    return {**data, **changes}


def _offer_form(**changes):
    data = {
        "title": "Wohnungssuche",
        "theme": Theme.objects.get(slug="housing").pk,
        "district": District.objects.get(slug="nord").pk,
        "languages": [Language.objects.get(code="ar").pk],
        "schedule": "dienstags 10-12",
        "audience": "Familien",
        "is_free": "on",
    }
    return {**data, **changes}


def _need_form(**changes):
    data = {
        "theme": Theme.objects.get(slug="housing").pk,
        "district": District.objects.get(slug="nord").pk,
        "description": "Ehrenamtliche, die dienstags Tigrinya sprechen",
    }
    return {**data, **changes}


# Profile ---------------------------------------------------------------------------------------


def test_staff_edit_their_organisations_profile_but_not_its_name(client, staff, caritas):
    response = client.post(_url("profile_edit", caritas.pk), _profile_form(name="Umbenannt"))

    assert response.status_code == 302
    assert response["Location"] == _url("home") + f"#partner-{caritas.pk}"
    caritas.refresh_from_db()
    assert caritas.name == "Caritas Nord"
    assert (caritas.kind, caritas.contact_email, str(caritas.latitude)) == (
        "shelter",
        "weber@caritas.example",
        "52.36000",
    )
    assert list(caritas.districts.values_list("slug", flat=True)) == ["nord"]
    entry = _entries(caritas, "change").get()
    assert entry.actor_id == staff.pk
    assert "name" not in entry.details["fields"]
    assert "contact_email" in entry.details["fields"]


def test_a_bad_profile_keeps_what_was_typed_and_says_why(client, caritas):
    response = client.post(
        _url("profile_edit", caritas.pk), _profile_form(longitude="", contact_phone="0511 999")
    )

    assert response.status_code == 200
    assert "Please give both coordinates, or neither." in response.text
    assert 'value="0511 999"' in response.text
    assert not _entries(caritas, "change").exists()


def test_another_organisations_profile_is_missing(client, other):
    assert client.get(_url("profile_edit", other.pk)).status_code == 404
    assert client.post(_url("profile_edit", other.pk), _profile_form()).status_code == 404
    other.refresh_from_db()
    assert other.contact_name == ""


def test_someone_whose_access_ended_is_refused(client, staff, caritas):
    end_access(by=UserFactory(role="coordinator"), staff=PartnerStaff.objects.get(user=staff))

    assert client.get(_url("home")).status_code == 403
    assert client.get(_url("profile_edit", caritas.pk)).status_code == 403
    assert client.post(_url("offer_create", caritas.pk), _offer_form()).status_code == 403
    assert not Offer.objects.exists()


def test_acting_for_two_organisations_keeps_each_separate(caritas, other):
    both = client_for(acting_for(caritas, other))
    third = PartnerFactory(name="Moscheegemeinde")

    page = both.get(_url("home"))

    assert page.status_code == 200
    assert "Caritas Nord" in page.text
    assert "Diakonie Süd" in page.text
    assert both.get(_url("profile_edit", third.pk)).status_code == 404


# Offers ----------------------------------------------------------------------------------------


def test_staff_publish_an_offer_with_versions_and_the_translators_are_asked_for_the_rest(
    client, staff, caritas
):
    NewcomerFactory(preferred_language="uk")
    form_page = client.get(_url("offer_create", caritas.pk)).text
    assert 'name="title_ar"' in form_page

    response = client.post(_url("offer_create", caritas.pk), _offer_form(title_ar="البحث عن سكن"))

    assert response.status_code == 302
    offer = Offer.objects.get()
    assert (offer.partner, offer.title_de, offer.title_ar, offer.is_active) == (
        caritas,
        "Wohnungssuche",
        "البحث عن سكن",
        True,
    )
    assert _entries(offer, "create").get().actor_id == staff.pk
    asked = TranslationTask.objects.filter(
        content_type=ContentType.objects.get_for_model(Offer), object_id=offer.pk, field="title"
    )
    assert dict(asked.values_list("language", "state")) == {"ar": "done", "uk": "open"}
    edit_page = client.get(_url("offer_edit", offer.pk)).text
    assert "Translations by volunteers" in edit_page
    assert reverse("translations:ask", args=[asked[0].content_type_id, offer.pk]) not in edit_page


def test_staff_edit_retire_and_reactivate_their_offer(client, staff, caritas):
    offer = OfferFactory(partner=caritas, title="Wohnungssuche")

    edited = client.post(_url("offer_edit", offer.pk), _offer_form(title="Wohnungssuche Nord"))
    retired = client.post(_url("offer_retire", offer.pk))
    offer.refresh_from_db()
    was_active = offer.is_active
    reactivated = client.post(_url("offer_reactivate", offer.pk))

    assert [edited.status_code, retired.status_code, reactivated.status_code] == [302, 302, 302]
    offer.refresh_from_db()
    assert (offer.title_de, was_active, offer.is_active) == ("Wohnungssuche Nord", False, True)
    assert [entry.actor_id for entry in _entries(offer, "change")] == [staff.pk] * 3


def test_another_organisations_offer_is_missing(client, other):
    offer = OfferFactory(partner=other, title="Sprachkurs")

    answers = [
        client.get(_url("offer_edit", offer.pk)).status_code,
        client.post(_url("offer_edit", offer.pk), _offer_form()).status_code,
        client.post(_url("offer_retire", offer.pk)).status_code,
        client.post(_url("offer_create", other.pk), _offer_form()).status_code,
    ]

    assert answers == [404, 404, 404, 404]
    offer.refresh_from_db()
    assert (offer.title, offer.is_active, Offer.objects.count()) == ("Sprachkurs", True, 1)


def test_a_retired_organisation_publishes_nothing(client, caritas):
    Partner.objects.filter(pk=caritas.pk).update(is_active=False)
    offer = OfferFactory(partner=caritas, is_active=False)

    offer_answer = client.post(_url("offer_create", caritas.pk), _offer_form())
    need_answer = client.post(_url("need_create", caritas.pk), _need_form())
    reactivated = client.post(_url("offer_reactivate", offer.pk), follow=True)

    assert offer_answer.status_code == 200
    assert "This partner organisation has been retired" in offer_answer.text
    assert 'value="Wohnungssuche"' in offer_answer.text
    assert need_answer.status_code == 200
    assert Offer.objects.filter(is_active=True).count() == 0
    assert not PartnerNeed.objects.exists()
    assert "has been retired" in reactivated.text
    home = client.get(_url("home")).text
    assert _url("offer_create", caritas.pk) not in home


# Needs -----------------------------------------------------------------------------------------


def test_staff_state_edit_meet_and_reopen_a_need(client, staff, caritas):
    stated = client.post(_url("need_create", caritas.pk), _need_form())
    need = PartnerNeed.objects.get()
    edited = client.post(_url("need_edit", need.pk), _need_form(description="Zwei Ehrenamtliche"))
    closed = client.post(_url("need_close", need.pk))
    need.refresh_from_db()
    was_open = need.is_open
    reopened = client.post(_url("need_reopen", need.pk))

    assert [r.status_code for r in (stated, edited, closed, reopened)] == [302] * 4
    need.refresh_from_db()
    assert (need.partner, need.description, was_open, need.is_open) == (
        caritas,
        "Zwei Ehrenamtliche",
        False,
        True,
    )
    assert need.recorded_by == staff
    assert _entries(need, "create").get().actor_id == staff.pk
    assert _entries(need, "change").count() == 3


def test_another_organisations_need_is_missing(client, other):
    need = PartnerNeedFactory(partner=other, description="Möbel")

    answers = [
        client.get(_url("need_edit", need.pk)).status_code,
        client.post(_url("need_close", need.pk)).status_code,
        client.post(_url("need_create", other.pk), _need_form()).status_code,
    ]

    assert answers == [404, 404, 404]
    need.refresh_from_db()
    assert need.is_open
    assert PartnerNeed.objects.count() == 1


# Network events --------------------------------------------------------------------------------


def test_staff_reply_to_an_event_for_their_organisation(client, staff, caritas):
    event = NetworkEventFactory(title="Netzwerkkonferenz")

    coming = client.post(_url("event_reply", caritas.pk, event.pk), {"answer": "yes"})
    changed = client.post(_url("event_reply", caritas.pk, event.pk), {"answer": "no"})

    assert coming.status_code == changed.status_code == 302
    reply = EventResponse.objects.get()
    assert (reply.partner, reply.user, reply.answer) == (caritas, None, "no")
    assert _entries(reply, "create").get().actor_id == staff.pk
    assert _entries(reply, "change").get().actor_id == staff.pk
    assert "Not coming" in client.get(_url("home")).text
    assert "Netzwerkkonferenz" in client.get(_url("events")).text


def test_replies_for_another_organisation_or_to_a_past_event_are_refused(client, caritas, other):
    event = NetworkEventFactory()
    past = NetworkEventFactory(starts_at=timezone.now() - timedelta(days=1))

    for_other = client.post(_url("event_reply", other.pk, event.pk), {"answer": "yes"})
    to_past = client.post(_url("event_reply", caritas.pk, past.pk), {"answer": "yes"})
    no_answer = client.post(_url("event_reply", caritas.pk, event.pk), {"answer": "maybe"})

    assert (for_other.status_code, to_past.status_code, no_answer.status_code) == (404, 404, 302)
    assert not EventResponse.objects.exists()


# The network in aggregate ----------------------------------------------------------------------


def test_the_network_page_shows_counts_and_public_organisations_without_records(client, caritas):
    newcomer = NewcomerFactory(full_name="Amina Yusuf", district=District.objects.get(slug="nord"))
    NeedFactory(newcomer=newcomer, theme=Theme.objects.get(slug="housing"))
    PartnerFactory(name="Geschlossene Stelle", is_active=False)
    OfferFactory(
        partner=caritas, title="Wohnungssuche", district=District.objects.get(slug="mitte")
    )

    page = client.get(_url("network"))

    assert page.status_code == 200
    text = page.text
    assert 'id="cell-housing-nord" data-status="gap"' in text
    assert "1 / 0" in text
    assert "Amina" not in text
    assert reverse("workgroups:gap_cell", args=["housing", "nord"]) not in text
    assert reverse("workgroups:partner_detail", args=[caritas.pk]) not in text
    assert "Caritas Nord" in text
    assert "Wohnungssuche" in text
    assert "Geschlossene Stelle" not in text


def test_the_desk_menu_leads_to_the_network_and_the_events(client):
    page = client.get(_url("home")).text

    assert _url("network") in page
    assert _url("events") in page


# Query budgets ---------------------------------------------------------------------------------


def _fill(partner, size):
    housing = Theme.objects.get(slug="housing")
    for number in range(size):
        OfferFactory(partner=partner, title=f"Angebot {number}")
        PartnerNeedFactory(partner=partner, theme=housing, is_open=number % 2 == 0)
        TaskFactory(partner=partner, review="pending", is_open=False, title=f"Aufgabe {number}")
        NetworkEventFactory(title=f"Treffen {number}")


@pytest.mark.parametrize("size", [1, 12])
def test_the_desk_costs_the_same_queries_whatever_its_size(
    size, django_assert_max_num_queries, caritas, other
):
    _fill(caritas, size)
    _fill(other, size)
    client = client_for(acting_for(caritas, other))

    with django_assert_max_num_queries(12):
        page = client.get(_url("home"))

    assert page.status_code == 200
    assert f"Angebot {size - 1}" in page.text


@pytest.mark.parametrize("size", [1, 12])
def test_the_network_page_costs_the_same_queries_whatever_its_size(
    size, django_assert_max_num_queries, client, caritas
):
    for number in range(size):
        OfferFactory(partner=PartnerFactory(latitude=52.3, longitude=9.7), title=f"Kurs {number}")
        NeedFactory(newcomer=NewcomerFactory())

    with django_assert_max_num_queries(16):
        page = client.get(_url("network"))

    assert page.status_code == 200


@pytest.mark.parametrize("size", [1, 12])
def test_the_events_page_costs_the_same_queries_whatever_its_size(
    size, django_assert_max_num_queries, client, caritas
):
    for number in range(size):
        NetworkEventFactory(title=f"Treffen {number}")

    with django_assert_max_num_queries(12):
        page = client.get(_url("events"))

    assert page.status_code == 200
    assert f"Treffen {size - 1}" in page.text
