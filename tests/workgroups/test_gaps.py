import pytest

from ankommen.vocabulary.models import District, Theme
from refugees.models import Need
from tests.factories import (
    NeedFactory,
    NewcomerFactory,
    OfferFactory,
    PartnerFactory,
    PartnerNeedFactory,
    TaskFactory,
    VolunteerFactory,
)
from volunteers.models import Stage
from workgroups.gaps import gap_matrix

pytestmark = pytest.mark.django_db


@pytest.fixture
def places():
    return {
        "housing": Theme.objects.get(slug="housing"),
        "health": Theme.objects.get(slug="health"),
        "mitte": District.objects.get(slug="mitte"),
        "nord": District.objects.get(slug="nord"),
    }


def _build(places):
    housing, health, mitte, nord = (places[k] for k in ("housing", "health", "mitte", "nord"))
    in_mitte, in_nord = NewcomerFactory(district=mitte), NewcomerFactory(district=nord)
    NeedFactory(newcomer=in_mitte, theme=housing)
    NeedFactory(newcomer=NewcomerFactory(district=mitte), theme=housing)
    NeedFactory(newcomer=in_mitte, theme=housing, status=Need.Status.RESOLVED)  # not counted
    NeedFactory(newcomer=in_nord, theme=housing)
    partner = PartnerFactory(name="Unterkunft Mitte", kind="shelter")
    PartnerNeedFactory(partner=partner, theme=housing, district=mitte, description="Möbel")
    PartnerNeedFactory(
        partner=partner, theme=housing, district=mitte, description="x", is_open=False
    )
    OfferFactory(partner=partner, title="Wohnberatung", theme=housing, district=mitte)
    OfferFactory(partner=partner, title="alt", theme=housing, district=nord, is_active=False)
    TaskFactory(title="Arztbegleitung", theme=health, district=mitte)
    for stage in (Stage.ACTIVE, Stage.READY, Stage.ACTIVE, Stage.WITHDRAWN):
        volunteer = VolunteerFactory(district=mitte, stage=stage)
        volunteer.themes.add(health)


def test_the_matrix_counts_demand_and_supply_per_theme_and_district(places):
    _build(places)

    themes, districts, cells = gap_matrix()

    housing_mitte = cells[(places["housing"].pk, places["mitte"].pk)]
    assert housing_mitte.counts == {
        "newcomer_needs": 2,
        "partner_needs": 1,
        "offers": 1,
        "tasks": 0,
        "volunteers": 0,
    }
    assert (housing_mitte.demand, housing_mitte.supply, housing_mitte.status) == (3, 1, "short")
    housing_nord = cells[(places["housing"].pk, places["nord"].pk)]
    assert (housing_nord.demand, housing_nord.supply, housing_nord.status) == (1, 0, "gap")
    health_mitte = cells[(places["health"].pk, places["mitte"].pk)]
    assert health_mitte.counts["volunteers"] == 3  # the withdrawn one does not count
    assert (health_mitte.demand, health_mitte.supply, health_mitte.status) == (0, 4, "overlap")
    assert cells[(places["health"].pk, places["nord"].pk)].status == "empty"
    assert len(cells) == len(themes) * len(districts)


def test_the_matrix_page_drills_down_and_exports(client, coordinator, places):
    _build(places)
    client.force_login(coordinator)

    page = client.get("/en/network/gaps/")
    cell = client.get(f"/en/network/gaps/{places['housing'].slug}/{places['nord'].slug}/")
    export = client.get("/en/network/gaps.csv")

    assert page.status_code == 200
    assert 'data-status="gap"' in page.content.decode()
    assert cell.status_code == 200
    rows = export.content.decode("utf-8-sig").splitlines()
    assert rows[0].startswith("Theme,District")
    assert any(row.startswith("Housing,Nord,1,0,0,0,0,1,0,gap") for row in rows)


@pytest.mark.parametrize("size", [1, 6])
def test_the_matrix_page_uses_a_fixed_number_of_queries(
    client, coordinator, places, django_assert_max_num_queries, size
):
    for _ in range(size):
        _build(places)
    client.force_login(coordinator)

    with django_assert_max_num_queries(12):
        client.get("/en/network/gaps/")
