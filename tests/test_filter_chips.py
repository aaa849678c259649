"""Every filter page: filters with many values are checkboxes, an empty choice reads "any", and
the active filters are chips above the results, each a link to the same list without it."""

import re
from html import unescape
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ankommen.filtering import active_filters
from ankommen.vocabulary.models import District, Language
from refugees.filters import NewcomerFilter
from refugees.selectors import newcomer_list
from tests.factories import (
    LanguageSkillFactory,
    NewcomerFactory,
    NewcomerLanguageFactory,
    SessionFactory,
    VolunteerFactory,
)

pytestmark = pytest.mark.django_db
CHIP = re.compile(
    r'<a class="btn btn-sm btn-outline-secondary rounded-pill"\s+href="(?P<url>[^"]*)"'
    r'\s+aria-label="[^"]*">\s*(?P<text>[^<]*?)\s*<span aria-hidden="true">\u00d7</span>'
)


def _chips(response) -> dict[str, list[tuple[str, str]]]:
    """Each chip's text and the query of the page it leads to."""
    found = {}
    for match in CHIP.finditer(response.content.decode()):
        url = unescape(match["url"])
        found[unescape(match["text"])] = sorted(parse_qsl(urlsplit(url).query))
    return found


def _clear_all(response) -> str:
    body = response.content.decode()
    return unescape(re.search(r'<a class="btn btn-sm btn-link" href="([^"]*)"', body)[1])


@pytest.fixture
def signed_in(client, coordinator):
    client.force_login(coordinator)
    return client


def test_removing_one_chip_keeps_the_other_filters_and_the_order(signed_in):
    mitte = District.objects.get(slug="mitte")
    query = {
        "stage": ["ready", "active"],
        "district": [mitte.pk],
        "ordering": "name",
        "page": "2",
    }

    response = signed_in.get(reverse("volunteers:card_file"), query)

    chips = _chips(response)
    assert chips["Phase: Einsatzbereit"] == [
        ("district", str(mitte.pk)),
        ("ordering", "name"),
        ("stage", "active"),
    ]
    assert chips[f"Stadtteil: {mitte.localized_name}"] == [
        ("ordering", "name"),
        ("stage", "active"),
        ("stage", "ready"),
    ]
    assert len(chips) == 3  # the order is not a filter, the page is not either
    assert _clear_all(response) == reverse("volunteers:card_file") + "?ordering=name"


def test_a_yes_no_filter_shows_its_answer_and_any_shows_no_chip(signed_in):
    response = signed_in.get(
        reverse("refugees:newcomer_list"), {"matched": "false", "open": "", "q": "Zahra"}
    )

    assert sorted(_chips(response)) == ["Hat eine Ansprechperson: Nein", "Suche: Zahra"]


def test_no_chip_and_no_clear_all_without_filters(signed_in):
    response = signed_in.get(reverse("refugees:newcomer_list"), {"ordering": "name"})

    assert _chips(response) == {}
    assert "btn btn-sm btn-link" not in response.content.decode()


def _filter_form(response) -> str:
    return re.search(
        r'<form method="get" class="[^"]*filter-form".*?</form>', response.content.decode(), re.S
    )[0]


def test_an_empty_choice_reads_any_never_unknown(signed_in):
    for name in ("volunteers:card_file", "refugees:newcomer_list", "messaging:delivery_log"):
        body = _filter_form(signed_in.get(reverse(name)))

        assert "Unbekannt" not in body, name
        assert "---------" not in body, name
        assert '<option value="" selected>Alle</option>' in body, name


def test_filters_with_many_values_are_checkboxes(signed_in):
    body = _filter_form(signed_in.get(reverse("volunteers:card_file")))

    for name in ("stage", "district", "language", "theme", "role", "available", "heard_via"):
        assert re.search(rf'<input type="checkbox"[^>]*name="{name}"', body), name
        assert f'<select name="{name}"' not in body
        assert f'name="{name}" multiple' not in body


def test_a_malformed_value_is_a_chip_that_removes_it(signed_in):
    response = signed_in.get(
        reverse("volunteers:card_file"), {"district": "not-a-number", "stage": "ready"}
    )

    assert response.status_code == 200
    assert _chips(response)["Stadtteil: not-a-number"] == [("stage", "ready")]


def test_several_districts_and_languages_list_each_newcomer_once(signed_in):
    mitte, nord = District.objects.get(slug="mitte"), District.objects.get(slug="nord")
    arabic, farsi = Language.objects.get(code="ar"), Language.objects.get(code="fa")
    both = NewcomerFactory(full_name="Both Languages", district=mitte)
    NewcomerLanguageFactory(newcomer=both, language=arabic)
    NewcomerLanguageFactory(newcomer=both, language=farsi)
    farsi_only = NewcomerFactory(full_name="Farsi Only", district=nord)
    NewcomerLanguageFactory(newcomer=farsi_only, language=farsi)
    NewcomerFactory(full_name="Elsewhere", district=District.objects.get(slug="ricklingen"))

    body = signed_in.get(
        reverse("refugees:newcomer_list"),
        {"district": [mitte.pk, nord.pk], "language": [arabic.pk, farsi.pk]},
    ).content.decode()

    assert body.count(">Both Languages</a>") == 1
    assert body.count(">Farsi Only</a>") == 1
    assert "Elsewhere" not in body


def test_chips_are_built_from_what_the_form_cleaned_without_a_query():
    mitte = District.objects.get(slug="mitte")
    query = QueryDict(mutable=True)
    query.setlist("district", [str(mitte.pk)])
    query.setlist("residence_status", ["tolerated"])
    filterset = NewcomerFilter(query, queryset=newcomer_list())
    filterset.is_valid()

    with CaptureQueriesContext(connection) as captured:
        active = active_filters(filterset, query, "/de/newcomers/")

    assert len(captured) == 0
    assert [chip.remove_url for chip in active.chips] == [
        "/de/newcomers/?residence_status=tolerated",
        f"/de/newcomers/?district={mitte.pk}",
    ]
    assert active.clear_url == "/de/newcomers/"


def test_the_catalogue_and_the_delivery_log_show_chips_too(client, signed_in):
    SessionFactory()

    catalogue = client.get(reverse("trainings:catalogue"), {"free_only": "on"})
    log = signed_in.get(reverse("messaging:delivery_log"), {"state": "failed"})

    assert list(_chips(log)) == ["Status: Fehlgeschlagen"]
    assert list(_chips(catalogue)) == ["Nur mit freien Plätzen: Ja"]


def test_the_filtered_card_file_costs_the_same_queries_at_two_sizes(
    signed_in, django_assert_max_num_queries
):
    arabic = Language.objects.get(code="ar")
    district = District.objects.order_by("pk").first()
    query = {"stage": ["applied", "ready"], "language": [arabic.pk], "district": [district.pk]}

    def grow(count):
        for number in range(count):
            volunteer = VolunteerFactory(stage="ready" if number % 2 else "applied")
            LanguageSkillFactory(volunteer=volunteer, language=arabic, level="native")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = signed_in.get(reverse("volunteers:card_file"), query)
        assert response.status_code == 200
        return len(captured), len(_chips(response))

    grow(3)
    queries()  # fills the cached filter form
    small = queries()
    grow(30)

    with django_assert_max_num_queries(14):
        signed_in.get(reverse("volunteers:card_file"), query)
    assert queries() == small
    assert small[1] == 4
