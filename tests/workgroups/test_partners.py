"""Coordinators keep partner organisations, their offers and needs without the admin."""

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from ankommen.audit.models import AuditEvent
from ankommen.vocabulary.models import District, Language, Theme
from refugees.services import issue_access_link
from tests.factories import (
    MembershipFactory,
    NeedFactory,
    NewcomerFactory,
    OfferFactory,
    PartnerFactory,
    PartnerNeedFactory,
    ReferralFactory,
    UserFactory,
    VolunteerFactory,
    WorkingGroupFactory,
    give_second_factor,
)
from workgroups.forms import ReferralForm
from workgroups.gaps import gap_matrix
from workgroups.models import Offer, Partner, PartnerNeed, Referral
from workgroups.network import refer_newcomer
from workgroups.services import (
    WorkgroupError,
    add_offer,
    close_partner_need,
    reactivate_offer,
    reactivate_partner,
    record_partner_need,
    register_partner,
    reopen_partner_need,
    retire_offer,
    retire_partner,
    update_offer,
    update_partner,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def housing():
    return Theme.objects.get(slug="housing")


@pytest.fixture
def nord():
    return District.objects.get(slug="nord")


def _cell(theme, district):
    _themes, _districts, cells = gap_matrix()
    return cells[(theme.pk, district.pk)]


def _entries(record, action):
    return AuditEvent.objects.filter(
        subject_type=record._meta.model_name, subject_id=record.pk, action=action
    )


def _partner_form(**changes):
    data = {
        "name": "Caritas Nord",
        "kind": "counselling",
        "contact_name": "Frau Weber",
        "contact_email": "weber@caritas.example",
        "contact_phone": "0361 123",
        "address": "Magdeburger Allee 1",
        "latitude": "50.99000",
        "longitude": "11.03000",
        "districts": [District.objects.get(slug="nord").pk],
        "themes": [
            Theme.objects.get(slug="housing").pk,
            Theme.objects.get(slug="jobs-training").pk,
        ],
    }
    return {**data, **changes}


# Partners


def test_a_coordinator_records_a_partner_with_every_field_on_the_page(client, coordinator):
    client.force_login(coordinator)

    response = client.post(reverse("workgroups:partner_create"), _partner_form())

    partner = Partner.objects.get(name="Caritas Nord")
    assert response.status_code == 302
    assert response["Location"] == reverse("workgroups:partner_detail", args=[partner.pk])
    assert (partner.kind, partner.contact_email, partner.address, str(partner.latitude)) == (
        "counselling",
        "weber@caritas.example",
        "Magdeburger Allee 1",
        "50.99000",
    )
    assert sorted(partner.themes.values_list("slug", flat=True)) == ["housing", "jobs-training"]
    assert list(partner.districts.values_list("slug", flat=True)) == ["nord"]
    created = _entries(partner, "create").get()
    assert created.actor_id == coordinator.pk


def test_a_partner_with_one_coordinate_or_no_name_is_refused_and_the_entries_are_kept(
    client, coordinator
):
    client.force_login(coordinator)

    no_longitude = client.post(reverse("workgroups:partner_create"), _partner_form(longitude=""))
    no_name = client.post(reverse("workgroups:partner_create"), _partner_form(name=""))
    too_far_north = client.post(reverse("workgroups:partner_create"), _partner_form(latitude="91"))

    assert not Partner.objects.exists()
    assert no_longitude.context["form"].errors["longitude"] == [
        "Please give both coordinates, or neither."
    ]
    assert "weber@caritas.example" in no_longitude.content.decode()
    assert "name" in no_name.context["form"].errors
    assert "latitude" in too_far_north.context["form"].errors


def test_a_second_partner_with_the_same_name_is_refused(client, coordinator):
    PartnerFactory(name="Caritas Nord")
    client.force_login(coordinator)

    response = client.post(reverse("workgroups:partner_create"), _partner_form(name="caritas nord"))

    assert response.status_code == 200
    assert "already recorded" in str(response.context["form"].non_field_errors())
    assert Partner.objects.count() == 1


def test_editing_a_partner_audits_only_what_changed(client, coordinator, nord):
    partner = register_partner(
        by=coordinator,
        name="Caritas Nord",
        kind="counselling",
        districts=[nord],
        themes=[Theme.objects.get(slug="housing"), Theme.objects.get(slug="jobs-training")],
        contact_name="Frau Weber",
        contact_email="weber@caritas.example",
        contact_phone="0361 123",
        address="Magdeburger Allee 1",
    )
    client.force_login(coordinator)

    response = client.post(
        reverse("workgroups:partner_edit", args=[partner.pk]),
        _partner_form(contact_phone="0361 999", districts=[], latitude="", longitude=""),
    )

    assert response.status_code == 302
    partner.refresh_from_db()
    assert (partner.contact_phone, partner.latitude, partner.districts.count()) == (
        "0361 999",
        None,
        0,
    )
    change = _entries(partner, "change").get()
    assert change.actor_id == coordinator.pk
    assert change.details == {"fields": ["contact_phone", "districts"]}


def test_renaming_a_partner_to_anothers_name_is_refused(coordinator):
    PartnerFactory(name="Diakonie")
    partner = PartnerFactory(name="Caritas")

    with pytest.raises(WorkgroupError, match="already recorded"):
        update_partner(partner=partner, by=coordinator, districts=[], themes=[], name="DIAKONIE ")


def test_retiring_a_partner_takes_its_offers_and_needs_out_and_leaves_referrals_open(
    coordinator, housing, nord
):
    partner = PartnerFactory(name="Unterkunft Nord", kind="shelter")
    offer = OfferFactory(partner=partner, theme=housing, district=nord)
    PartnerNeedFactory(partner=partner, theme=housing, district=nord)
    waiting = ReferralFactory(offer=offer, consent_on=timezone.localdate())
    assert (_cell(housing, nord).counts["offers"], _cell(housing, nord).demand) == (1, 1)

    retire_partner(partner=partner, by=coordinator)

    cell = _cell(housing, nord)
    assert (cell.counts["offers"], cell.counts["partner_needs"]) == (0, 0)
    waiting.refresh_from_db()
    assert waiting.outcome == Referral.Outcome.WAITING
    offer.refresh_from_db()
    assert offer.is_active  # kept as it was: reactivating brings it back
    assert offer not in ReferralForm().fields["offer"].queryset
    with pytest.raises(WorkgroupError, match="no longer available"):
        refer_newcomer(
            newcomer=NewcomerFactory(),
            offer=offer,
            consent_on=timezone.localdate(),
            consent_language="ar",
            by=coordinator,
        )
    with pytest.raises(WorkgroupError, match="Reactivate it first"):
        add_offer(partner=partner, by=coordinator, title="Neu", theme=housing)
    with pytest.raises(WorkgroupError, match="Reactivate it first"):
        record_partner_need(partner=partner, by=coordinator, theme=housing, description="x")
    assert _entries(partner, "change").get().details == {"fields": ["is_active"]}

    reactivate_partner(partner=partner, by=coordinator)

    assert (_cell(housing, nord).counts["offers"], _cell(housing, nord).demand) == (1, 1)


def test_the_retire_page_says_what_happens_to_open_referrals_before_anything_changes(
    client, coordinator
):
    partner = PartnerFactory(name="Unterkunft Nord")
    offer = OfferFactory(partner=partner)
    ReferralFactory(offer=offer, consent_on=timezone.localdate())
    ReferralFactory(offer=offer, consent_on=timezone.localdate(), outcome="done")
    client.force_login(coordinator)

    page = client.get(reverse("workgroups:partner_retire", args=[partner.pk]))

    partner.refresh_from_db()
    assert partner.is_active
    text = page.content.decode()
    assert "1 referral to it is still open" in text
    assert "1 active offer no longer counts in the gap matrix" in text

    client.post(reverse("workgroups:partner_retire", args=[partner.pk]))

    partner.refresh_from_db()
    assert not partner.is_active


def test_volunteers_no_longer_see_a_retired_partner_coordinators_still_do(client, coordinator):
    partner = PartnerFactory(name="Geschlossen e.V.", is_active=False)
    PartnerFactory(name="Offen e.V.")
    volunteer = VolunteerFactory().user

    client.force_login(volunteer)
    assert client.get(reverse("workgroups:partner_detail", args=[partner.pk])).status_code == 404
    assert "Geschlossen" not in client.get(reverse("workgroups:partner_list")).content.decode()

    client.force_login(coordinator)
    page = client.get(reverse("workgroups:partner_list"))
    assert [p.name for p in page.context["retired"]] == ["Geschlossen e.V."]
    assert [p.name for p in page.context["partners"]] == ["Offen e.V."]
    assert client.get(reverse("workgroups:partner_detail", args=[partner.pk])).status_code == 200


def test_retiring_twice_or_reactivating_an_active_partner_is_refused(coordinator):
    partner = PartnerFactory()

    with pytest.raises(WorkgroupError):
        reactivate_partner(partner=partner, by=coordinator)
    retire_partner(partner=partner, by=coordinator)
    with pytest.raises(WorkgroupError):
        retire_partner(partner=partner, by=coordinator)


# Offers


def test_an_offer_added_from_the_partner_page_counts_at_once(client, coordinator, housing, nord):
    partner = PartnerFactory()
    arabic = Language.objects.get(code="ar")
    client.force_login(coordinator)

    response = client.post(
        reverse("workgroups:offer_create", args=[partner.pk]),
        {
            "title": "Wohnungssuche",
            "theme": housing.pk,
            "district": nord.pk,
            "languages": [arabic.pk],
            "schedule": "Tuesdays 10-12",
            "audience": "Families",
            "is_free": "on",
        },
    )

    offer = partner.offers.get()
    assert response["Location"] == reverse("workgroups:partner_detail", args=[partner.pk])
    assert (offer.title, offer.schedule, list(offer.languages.all())) == (
        "Wohnungssuche",
        "Tuesdays 10-12",
        [arabic],
    )
    assert _cell(housing, nord).counts["offers"] == 1
    assert _entries(offer, "create").get().actor_id == coordinator.pk


def test_an_offer_without_title_is_refused_with_the_entries_kept(client, coordinator, housing):
    partner = PartnerFactory()
    client.force_login(coordinator)

    response = client.post(
        reverse("workgroups:offer_create", args=[partner.pk]),
        {"title": "", "theme": housing.pk, "schedule": "Tuesdays 10-12"},
    )

    assert response.status_code == 200
    assert "title" in response.context["form"].errors
    assert "Tuesdays 10-12" in response.content.decode()
    assert not Offer.objects.exists()


def test_editing_retiring_and_reactivating_an_offer(client, coordinator, housing, nord):
    offer = OfferFactory(title="Alt", theme=housing, district=nord)
    client.force_login(coordinator)

    client.post(
        reverse("workgroups:offer_edit", args=[offer.pk]),
        {"title": "Neu", "theme": housing.pk, "district": nord.pk},
    )
    offer.refresh_from_db()
    assert (offer.title, offer.is_free) == ("Neu", False)
    assert set(_entries(offer, "change").get().details["fields"]) == {"title", "is_free"}

    client.post(reverse("workgroups:offer_retire", args=[offer.pk]))
    assert _cell(housing, nord).counts["offers"] == 0
    page = client.get(reverse("workgroups:partner_detail", args=[offer.partner_id]))
    assert page.context["offers"] == []
    assert page.context["retired_offers"] == [offer]

    client.post(reverse("workgroups:offer_reactivate", args=[offer.pk]))
    assert _cell(housing, nord).counts["offers"] == 1


def test_an_offer_of_a_retired_partner_cannot_be_reactivated(coordinator):
    offer = OfferFactory()
    retire_offer(offer=offer, by=coordinator)
    retire_partner(partner=offer.partner, by=coordinator)

    with pytest.raises(WorkgroupError, match="Reactivate it first"):
        reactivate_offer(offer=offer, by=coordinator)
    with pytest.raises(WorkgroupError, match="already been retired"):
        retire_offer(offer=offer, by=coordinator)


def test_an_unchanged_offer_leaves_no_change_entry(coordinator):
    offer = OfferFactory()

    update_offer(offer=offer, by=coordinator, title=offer.title, theme=offer.theme, languages=[])

    assert not _entries(offer, "change").exists()


# Needs


def test_a_need_is_recorded_edited_met_and_reopened_and_the_matrix_follows(
    client, coordinator, housing, nord
):
    partner = PartnerFactory()
    client.force_login(coordinator)

    client.post(
        reverse("workgroups:partner_detail", args=[partner.pk]),
        {"theme": housing.pk, "district": nord.pk, "description": "Möbel"},
    )
    need = partner.needs.get()
    assert (_cell(housing, nord).counts["partner_needs"], need.recorded_by) == (1, coordinator)
    assert _entries(need, "create").exists()

    client.post(
        reverse("workgroups:need_edit", args=[need.pk]),
        {"theme": housing.pk, "district": nord.pk, "description": "Möbel und Betten"},
    )
    need.refresh_from_db()
    assert need.description == "Möbel und Betten"

    client.post(reverse("workgroups:need_close", args=[need.pk]))
    assert _cell(housing, nord).counts["partner_needs"] == 0
    page = client.get(reverse("workgroups:partner_detail", args=[partner.pk]))
    assert list(page.context["closed_needs"]) == [need]

    client.post(reverse("workgroups:need_reopen", args=[need.pk]))
    assert _cell(housing, nord).counts["partner_needs"] == 1
    assert [entry.details for entry in _entries(need, "change").order_by("pk")] == [
        {"fields": ["description"]},
        {"fields": ["is_open"]},
        {"fields": ["is_open"]},
    ]


def test_closing_a_closed_need_is_refused(coordinator):
    need = PartnerNeedFactory(is_open=False)

    with pytest.raises(WorkgroupError):
        close_partner_need(need=need, by=coordinator)
    reopen_partner_need(need=need, by=coordinator)
    need.refresh_from_db()
    assert need.is_open


def test_a_need_without_description_is_refused_on_its_edit_page(client, coordinator, housing):
    need = PartnerNeedFactory(description="Möbel")
    client.force_login(coordinator)

    response = client.post(
        reverse("workgroups:need_edit", args=[need.pk]), {"theme": housing.pk, "description": ""}
    )

    assert "description" in response.context["form"].errors
    need.refresh_from_db()
    assert need.description == "Möbel"


# The gap matrix


def test_a_gap_links_to_an_offer_form_and_the_new_offer_closes_it(
    client, coordinator, housing, nord
):
    NeedFactory(newcomer=NewcomerFactory(district=nord), theme=housing)
    partner = PartnerFactory(name="Wohnhilfe")
    client.force_login(coordinator)
    form_url = reverse("workgroups:gap_offer_create", args=["housing", "nord"])
    assert _cell(housing, nord).status == "gap"
    assert form_url in client.get(reverse("workgroups:gaps")).content.decode()
    assert (
        form_url
        in client.get(reverse("workgroups:gap_cell", args=["housing", "nord"])).content.decode()
    )

    form = client.get(form_url).context["form"]
    assert (form["theme"].value(), form["district"].value()) == (housing.pk, nord.pk)
    response = client.post(
        form_url,
        {"partner": partner.pk, "title": "Wohnungssuche", "theme": housing.pk, "district": nord.pk},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("workgroups:gaps") + "#cell-housing-nord"
    assert _cell(housing, nord).status != "gap"
    assert form_url not in client.get(reverse("workgroups:gaps")).content.decode()
    assert partner.offers.get().title == "Wohnungssuche"


def test_the_gap_offer_form_asks_for_a_partner_and_keeps_the_entries(
    client, coordinator, housing, nord
):
    PartnerFactory(name="Ruhend", is_active=False)
    client.force_login(coordinator)
    form_url = reverse("workgroups:gap_offer_create", args=["housing", "nord"])

    response = client.post(
        form_url, {"title": "Wohnungssuche", "theme": housing.pk, "district": nord.pk}
    )

    assert response.status_code == 200
    assert "partner" in response.context["form"].errors
    assert "Wohnungssuche" in response.content.decode()
    assert not Offer.objects.exists()
    assert list(response.context["form"].fields["partner"].queryset) == []  # retired: not offered


def test_a_retired_partners_need_is_no_gap(coordinator, housing, nord):
    need = PartnerNeedFactory(theme=housing, district=nord)
    assert _cell(housing, nord).status == "gap"

    retire_partner(partner=need.partner, by=coordinator)

    assert _cell(housing, nord).status == "empty"


# Who may


def _lead():
    user = VolunteerFactory().user
    MembershipFactory(group=WorkingGroupFactory(), user=user, lead=True)
    give_second_factor(user)  # leads must have one, or every page asks for it first
    return user


@pytest.mark.parametrize("who", ["volunteer", "lead"])
def test_volunteers_and_leads_cannot_change_the_network(client, who, housing):
    offer = OfferFactory(title="Alt")
    need = PartnerNeedFactory(description="Möbel")
    partner = offer.partner
    user = _lead() if who == "lead" else VolunteerFactory().user
    client.force_login(user)
    posts = [
        (reverse("workgroups:partner_create"), _partner_form()),
        (reverse("workgroups:partner_edit", args=[partner.pk]), _partner_form()),
        (reverse("workgroups:partner_retire", args=[partner.pk]), {}),
        (reverse("workgroups:partner_reactivate", args=[partner.pk]), {}),
        (
            reverse("workgroups:offer_create", args=[partner.pk]),
            {"title": "x", "theme": housing.pk},
        ),
        (
            reverse("workgroups:gap_offer_create", args=["housing", "nord"]),
            {"partner": partner.pk, "title": "x", "theme": housing.pk},
        ),
        (reverse("workgroups:offer_edit", args=[offer.pk]), {"title": "x", "theme": housing.pk}),
        (reverse("workgroups:offer_retire", args=[offer.pk]), {}),
        (reverse("workgroups:offer_reactivate", args=[offer.pk]), {}),
        (
            reverse("workgroups:need_edit", args=[need.pk]),
            {"theme": housing.pk, "description": "x"},
        ),
        (reverse("workgroups:need_close", args=[need.pk]), {}),
        (reverse("workgroups:need_reopen", args=[need.pk]), {}),
        (
            reverse("workgroups:partner_detail", args=[partner.pk]),
            {"theme": housing.pk, "description": "x"},
        ),
    ]

    statuses = {url: client.post(url, data).status_code for url, data in posts}

    assert set(statuses.values()) == {403}, statuses
    assert (Partner.objects.count(), Offer.objects.count(), PartnerNeed.objects.count()) == (
        2,
        1,
        1,
    )
    offer.refresh_from_db()
    need.refresh_from_db()
    assert (offer.title, offer.is_active, need.description, need.is_open) == (
        "Alt",
        True,
        "Möbel",
        True,
    )
    assert not AuditEvent.objects.filter(actor_id=user.pk).exists()


def test_pages_for_records_that_do_not_exist_answer_404(client, coordinator):
    client.force_login(coordinator)

    for name in ("partner_edit", "partner_retire", "offer_create", "offer_edit", "need_edit"):
        assert client.get(reverse(f"workgroups:{name}", args=[9999])).status_code == 404
    assert (
        client.get(reverse("workgroups:gap_offer_create", args=["housing", "x"])).status_code == 404
    )


def test_newcomers_and_visitors_cannot_add_partners(client, coordinator):
    url = reverse("workgroups:partner_create")

    anonymous = client.post(url, _partner_form())
    card = issue_access_link(newcomer=NewcomerFactory(), by=coordinator)
    client.get(reverse("newcomer_access", args=[card.token]))
    newcomer = client.post(url, _partner_form())

    assert anonymous.status_code == 302
    assert "/accounts/login/" in anonymous["Location"]
    assert newcomer.status_code == 403
    assert not Partner.objects.exists()


# Query counts


def _network(size):
    housing, nord = Theme.objects.get(slug="housing"), District.objects.get(slug="nord")
    arabic = Language.objects.get(code="ar")
    for number in range(size):
        partner = PartnerFactory(latitude="50.9", longitude="11.0", is_active=number % 5 != 0)
        partner.districts.add(nord)
        partner.themes.add(housing)
        for active in (True, True, False):
            OfferFactory(partner=partner, theme=housing, district=nord, is_active=active)
            OfferFactory(partner=partner, theme=housing).languages.add(arabic)
        PartnerNeedFactory(partner=partner, theme=housing, district=nord)
        PartnerNeedFactory(partner=partner, theme=housing, is_open=False)
    return Partner.objects.order_by("pk").filter(is_active=True).first()


@pytest.mark.parametrize(
    "page", ["partner_list", "partner_detail", "partner_retire", "gap_cell", "gap_offer_create"]
)
def test_network_pages_cost_the_same_few_queries_for_more_partners(
    client, coordinator, django_assert_max_num_queries, page
):
    client.force_login(coordinator)

    def url():
        first = Partner.objects.order_by("pk").filter(is_active=True).first()
        return {
            "partner_list": reverse("workgroups:partner_list"),
            "partner_detail": reverse("workgroups:partner_detail", args=[first.pk]),
            "partner_retire": reverse("workgroups:partner_retire", args=[first.pk]),
            "gap_cell": reverse("workgroups:gap_cell", args=["housing", "nord"]),
            "gap_offer_create": reverse("workgroups:gap_offer_create", args=["housing", "nord"]),
        }[page]

    _network(3)
    client.get(url())  # per-process caches (vocabulary) are filled
    with django_assert_max_num_queries(20) as few:
        assert client.get(url()).status_code == 200
    _network(30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url()).status_code == 200


def test_a_volunteer_sees_the_partner_list_in_the_same_number_of_queries(
    client, django_assert_max_num_queries
):
    client.force_login(UserFactory(role="volunteer"))
    _network(3)
    client.get(reverse("workgroups:partner_list"))
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("workgroups:partner_list"))
    _network(30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("workgroups:partner_list"))
