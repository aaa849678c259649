"""The menu's search box: coordinators find a volunteer or a newcomer by name or record number
from every page, and tell people of the same name apart."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ankommen.audit.models import AuditEvent
from ankommen.search.hooks import SearchTerms
from ankommen.search.selectors import SHOWN_PER_KIND, read_terms
from ankommen.vocabulary.models import District
from tests.factories import NewcomerFactory, UserFactory, VolunteerFactory
from tests.test_audit_reads import NEWCOMER_MARKERS, marked  # noqa: F401 (fixtures)
from tests.test_canary import canary  # noqa: F401 (fixture)
from tests.test_url_policy import objects  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db
SEARCH = reverse("search:people")


def _found(response) -> dict[str, list[str]]:
    """The names in the results, by the kind's heading id."""
    body = response.content.decode()
    sections = re.findall(r'<section[^>]*aria-labelledby="found-(\w+)"(.*?)</section>', body, re.S)
    return {
        kind: re.findall(r'<a href="[^"]+">([^<]+)</a>', section.split("</ul>")[0])
        for kind, section in sections
    }


@pytest.fixture
def signed_in(client, coordinator):
    client.force_login(coordinator)
    return client


def test_a_name_finds_volunteers_and_newcomers_grouped_by_kind(signed_in):
    VolunteerFactory(user__full_name="Zahra Mohammadi Berger")
    NewcomerFactory(full_name="Zahra Mohammadi")
    NewcomerFactory(full_name="Ali Rahimi")

    response = signed_in.get(SEARCH, {"q": "zahra MOHAMMADI"})

    assert response.status_code == 200
    assert _found(response) == {
        "volunteer": ["Zahra Mohammadi Berger"],
        "newcomer": ["Zahra Mohammadi"],
    }


def test_people_of_the_same_name_are_told_apart_by_year_of_birth_district_and_number(signed_in):
    districts = list(District.objects.order_by("pk")[:2])
    first = NewcomerFactory(full_name="Zahra Mohammadi", birth_year=1987, district=districts[0])
    second = NewcomerFactory(full_name="Zahra Mohammadi", birth_year=2001, district=districts[1])
    third = NewcomerFactory(full_name="Zahra Mohammadi", birth_year=None, age_group="18-26")

    body = signed_in.get(SEARCH, {"q": "Zahra"}).content.decode()

    assert "geb. 1987" in body
    assert "geb. 2001" in body
    assert "18 bis 26 Jahre" in body
    assert districts[0].localized_name in body
    assert districts[1].localized_name in body
    for newcomer in (first, second, third):
        assert f"Nr. {newcomer.pk}" in body
        assert f'href="{newcomer.get_absolute_url()}"' in body


@pytest.mark.parametrize("typed", ["{pk}", "#{pk}", "Nr. {pk}", " no{pk} "])
def test_a_record_number_finds_the_person_with_that_number(signed_in, typed):
    newcomer = NewcomerFactory(full_name="Samir Haddad")
    NewcomerFactory(full_name="Other Person")
    volunteer = VolunteerFactory(user__full_name="Leyla Demir")

    found = _found(signed_in.get(SEARCH, {"q": typed.format(pk=newcomer.pk)}))

    assert found["newcomer"] == ["Samir Haddad"]
    assert found["volunteer"] == (["Leyla Demir"] if volunteer.pk == newcomer.pk else [])


@pytest.mark.parametrize("role", ["volunteer", "newcomer"])
def test_only_coordinators_may_search(client, role):
    NewcomerFactory(full_name="Zahra Mohammadi")
    user = VolunteerFactory().user if role == "volunteer" else UserFactory(role=role)
    client.force_login(user)

    response = client.get(SEARCH, {"q": "Zahra"})

    # A newcomer account without a working card gets the "link no longer works" page (410).
    assert response.status_code == (403 if role == "volunteer" else 410)
    assert b"Mohammadi" not in response.content


def test_the_search_box_is_in_the_menu_of_coordinators_only(client, coordinator):
    volunteer = VolunteerFactory()
    client.force_login(coordinator)
    assert f'action="{SEARCH}"' in client.get(reverse("volunteers:card_file")).content.decode()

    client.force_login(volunteer.user)
    assert f'action="{SEARCH}"' not in client.get(reverse("volunteers:my_hours")).content.decode()


@pytest.mark.parametrize(
    "typed",
    [
        "",
        " ",
        "a",
        "%",
        "_",
        "\x00",
        "Zahra\x00Mohammadi",
        "\u202eevil\u202c",
        "' OR 1=1 --",
        "9" * 40,
        "#",
        "-1",
        "x" * 5000,
        "a b c d e f g h i j",
        "<script>alert(1)</script>",
    ],
)
def test_empty_or_odd_input_gets_a_page_never_an_error(signed_in, typed):
    NewcomerFactory(full_name="Zahra Mohammadi")

    response = signed_in.get(SEARCH, {"q": typed})

    assert response.status_code == 200
    assert b"<script>alert(1)</script>" not in response.content


def test_too_little_to_search_for_says_what_to_type(signed_in):
    response = signed_in.get(SEARCH, {"q": "a"})

    assert "mindestens zwei Buchstaben" in response.content.decode()
    assert _found(response) == {}


def test_input_is_read_once_into_words_or_a_number():
    assert read_terms("  Zahra\x00 Mohammadi ") == SearchTerms(
        text="Zahra  Mohammadi", words=("Zahra", "Mohammadi")
    )
    assert read_terms("Nr. 42") == SearchTerms(text="Nr. 42", number=42)
    assert read_terms("9" * 40) == SearchTerms(text="9" * 40, words=("9" * 40,))
    assert read_terms("a \u202e") is None
    assert len(read_terms("ab " * 50).words) == 5


def test_many_matches_show_the_first_ones_and_lead_to_the_whole_list(signed_in):
    for number in range(SHOWN_PER_KIND + 2):
        NewcomerFactory(full_name=f"Zahra Mohammadi {number:02}")

    response = signed_in.get(SEARCH, {"q": "Mohammadi"})

    assert len(_found(response)["newcomer"]) == SHOWN_PER_KIND
    assert f'href="{reverse("refugees:newcomer_list")}?q=Mohammadi"' in response.content.decode()


def _queries(client, text):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(SEARCH, {"q": text})
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("text", ["Mohammadi", "Nr. 1"])
def test_the_results_cost_the_same_queries_at_two_data_sizes(
    signed_in, django_assert_max_num_queries, text
):
    for _ in range(3):
        NewcomerFactory(full_name="Zahra Mohammadi")
        VolunteerFactory(user__full_name="Jonas Mohammadi")
    _queries(signed_in, text)  # the first request fills the per-process caches
    small = _queries(signed_in, text)

    for _ in range(30):
        NewcomerFactory(full_name="Zahra Mohammadi")
        VolunteerFactory(user__full_name="Jonas Mohammadi")
    with django_assert_max_num_queries(8):
        signed_in.get(SEARCH, {"q": text})

    assert _queries(signed_in, text) == small


def test_the_results_show_no_sensitive_field_so_they_record_no_read(client, marked):  # noqa: F811
    coordinator = UserFactory(role="coordinator")
    client.force_login(coordinator)
    newcomer = marked["newcomer"]

    body = client.get(SEARCH, {"q": newcomer.full_name}).content.decode()

    assert newcomer.get_absolute_url() in body
    assert [name for name, value in NEWCOMER_MARKERS.items() if value in body] == []
    assert not AuditEvent.objects.filter(action="read", actor_id=coordinator.pk).exists()
