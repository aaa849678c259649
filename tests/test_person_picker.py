"""Choosing one person among thousands: the pickers' searches (newcomers, volunteers), the
pages that use them without JavaScript, and the server's own check of the chosen id."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ankommen.person_picker import MAX_RESULTS
from ankommen.vocabulary.models import District, Language
from refugees.models import Newcomer
from refugees.services import issue_access_link
from tests.factories import (
    NewcomerFactory,
    NewcomerLanguageFactory,
    SessionFactory,
    UserFactory,
    VolunteerFactory,
)
from trainings.models import Registration
from volunteers.models import LanguageSkill

pytestmark = pytest.mark.django_db
NEWCOMERS = "/en/newcomers/search/"
VOLUNTEERS = "/en/volunteers/search/"


def three_zahras() -> list[Newcomer]:
    """The case from the issue: three "Zahra Mohammadi", told apart by year of birth."""
    districts = list(District.objects.order_by("pk")[:3])
    farsi = Language.objects.get(code="fa")
    zahras = []
    for year, district in zip((1979, 1990, 2001), districts, strict=True):
        zahra = NewcomerFactory(full_name="Zahra Mohammadi", birth_year=year, district=district)
        NewcomerLanguageFactory(newcomer=zahra, language=farsi, level="native")
        zahras.append(zahra)
    return zahras


def test_the_newcomer_search_tells_namesakes_apart(client, coordinator):
    zahras = three_zahras()
    NewcomerFactory(full_name="Samir Haddad")
    client.force_login(coordinator)

    answer = client.get(NEWCOMERS, {"q": "zahra moh"}).json()

    assert [entry["id"] for entry in answer["results"]] == [zahra.pk for zahra in zahras]
    first = answer["results"][0]
    assert first["name"] == "Zahra Mohammadi"
    assert first["details"] == [
        "born 1979",
        zahras[0].district.localized_name,
        "fa",
        f"no. {zahras[0].pk}",
    ]
    assert answer["status"] == "3 people found."


def test_the_newcomer_search_finds_a_record_by_its_number(client, coordinator):
    wanted, other = NewcomerFactory(full_name="Dawit Tesfaye"), NewcomerFactory()
    client.force_login(coordinator)

    by_number = client.get(NEWCOMERS, {"q": str(wanted.pk)}).json()["results"]
    with_hash = client.get(NEWCOMERS, {"q": f"#{wanted.pk}"}).json()["results"]
    # Read as the menu's search reads it: the two boxes find the same people.
    as_written = client.get(NEWCOMERS, {"q": f"Nr. {wanted.pk}"}).json()["results"]

    assert [entry["id"] for entry in by_number] == [wanted.pk]
    assert [entry["id"] for entry in with_hash] == [wanted.pk]
    assert [entry["id"] for entry in as_written] == [wanted.pk]
    assert other.pk not in [entry["id"] for entry in by_number]


def test_closed_records_and_nonsense_find_nobody(client, coordinator):
    NewcomerFactory(full_name="Closed Case", closed_at=timezone.now())
    client.force_login(coordinator)

    closed = client.get(NEWCOMERS, {"q": "Closed"}).json()
    empty = client.get(NEWCOMERS, {"q": "   "}).json()
    huge = client.get(NEWCOMERS, {"q": "9" * 40}).json()
    superscript = client.get(NEWCOMERS, {"q": "²"})  # a digit to isdigit(), not to int()
    hostile = client.get(NEWCOMERS, {"q": "' OR 1=1 -- <script>"})

    assert closed["results"] == []
    assert closed["status"] == "Nobody found. Try another spelling or the record number."
    assert empty == {"results": [], "status": "Type a name or a record number."}
    assert huge["results"] == []
    assert superscript.status_code == 200
    assert hostile.status_code == 200


def test_the_search_answers_at_most_twenty(client, coordinator):
    Newcomer.objects.bulk_create(
        Newcomer(full_name=f"Ali Rahimi {number}", waiting_since=timezone.localdate())
        for number in range(MAX_RESULTS + 5)
    )
    client.force_login(coordinator)

    answer = client.get(NEWCOMERS, {"q": "Ali Rahimi"}).json()

    assert len(answer["results"]) == MAX_RESULTS == 20


@pytest.mark.parametrize("url", [NEWCOMERS, VOLUNTEERS])
def test_only_coordinators_may_search(client, url):
    NewcomerFactory(full_name="Zahra Mohammadi")
    VolunteerFactory(user__full_name="Zahra Mohammadi")
    anonymous = client.get(url, {"q": "Zahra"})
    answers = {}
    client.force_login(UserFactory(role="volunteer"))
    answers["volunteer"] = client.get(url, {"q": "Zahra"})
    client.logout()
    card = issue_access_link(newcomer=NewcomerFactory(), by=UserFactory(role="coordinator"))
    client.get(f"/n/{card.token}/")  # a newcomer signed in with their card
    answers["newcomer"] = client.get(url, {"q": "Zahra"})

    assert anonymous.status_code == 302
    assert "/accounts/login/" in anonymous["Location"]
    assert {role: answer.status_code for role, answer in answers.items()} == {
        "volunteer": 403,
        "newcomer": 403,
    }
    assert all(b"Mohammadi" not in answer.content for answer in answers.values())
    assert all("json" not in answer["Content-Type"] for answer in answers.values())


@pytest.mark.parametrize("url", [NEWCOMERS, VOLUNTEERS])
def test_a_search_costs_the_same_whatever_the_number_found(client, coordinator, url):
    farsi = Language.objects.get(code="fa")
    client.force_login(coordinator)

    def add(count: int) -> None:
        for _ in range(count):
            newcomer = NewcomerFactory(full_name="Maryam Ahmadi")
            NewcomerLanguageFactory(newcomer=newcomer, language=farsi, level="native")
            volunteer = VolunteerFactory(user__full_name="Maryam Ahmadi")
            LanguageSkill.objects.create(volunteer=volunteer, language=farsi, level="native")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert len(client.get(url, {"q": "Maryam"}).json()["results"]) > 0
        return len(captured)

    add(2)
    few = queries()
    add(15)

    assert queries() == few
    assert few <= 6  # session, user, then the people and their languages


def test_the_volunteer_search_finds_by_name_email_and_number_but_not_who_withdrew(
    client, coordinator
):
    arabic = Language.objects.get(code="ar")
    leyla = VolunteerFactory(
        stage="ready", user__full_name="Leyla Demir", user__email="leyla@example.org"
    )
    LanguageSkill.objects.create(volunteer=leyla, language=arabic, level="native")
    VolunteerFactory(stage="withdrawn", user__full_name="Leyla Gone")
    client.force_login(coordinator)

    by_name = client.get(VOLUNTEERS, {"q": "leyla"}).json()["results"]
    by_email = client.get(VOLUNTEERS, {"q": "leyla@example"}).json()["results"]
    by_number = client.get(VOLUNTEERS, {"q": str(leyla.pk)}).json()["results"]

    assert [entry["id"] for entry in by_name] == [leyla.pk]
    assert by_name[0]["details"] == [
        "Ready",
        leyla.district.localized_name,
        "ar",
        f"no. {leyla.pk}",
    ]
    assert [entry["id"] for entry in by_email] == [leyla.pk]
    assert [entry["id"] for entry in by_number] == [leyla.pk]


def test_without_javascript_the_session_page_searches_then_offers_only_who_was_found(
    client, coordinator
):
    zahras = three_zahras()
    NewcomerFactory(full_name="Samir Haddad")
    session = SessionFactory()
    client.force_login(coordinator)
    url = f"/en/trainings/manage/{session.pk}/"

    before = client.get(url).content.decode()
    found = client.get(url, {"find_newcomer": "Zahra"}).content.decode()

    assert 'name="find_newcomer"' in before
    assert "Samir Haddad" not in before  # no list of every newcomer
    assert "Search first, then choose" in before
    for zahra in zahras:
        assert f'value="{zahra.pk}" data-name="Zahra Mohammadi"' in found
        assert f"born {zahra.birth_year}" in found
    assert "Samir Haddad" not in found


def test_signing_up_checks_the_chosen_id_on_the_server(client, coordinator):
    zahra = three_zahras()[1]
    closed = NewcomerFactory(full_name="Closed Case", closed_at=timezone.now())
    session = SessionFactory(course__audience="newcomers")
    client.force_login(coordinator)
    url = f"/en/trainings/manage/{session.pk}/newcomers/"

    refused = client.post(url, {"newcomer": closed.pk}, follow=True)
    nonsense = client.post(url, {"newcomer": "1 OR 1=1"}, follow=True)
    client.post(url, {"newcomer": zahra.pk})

    assert "Please choose a newcomer." in refused.content.decode()
    assert nonsense.status_code == 200
    assert list(Registration.objects.values_list("newcomer_id", flat=True)) == [zahra.pk]


def test_a_referral_keeps_the_newcomer_it_was_opened_for(client, coordinator):
    zahra = three_zahras()[2]
    client.force_login(coordinator)

    page = client.get("/en/network/referrals/", {"newcomer": zahra.pk}).content.decode()

    assert f'<option value="{zahra.pk}" selected data-name="Zahra Mohammadi">' in page
    assert "born 2001" in page


def test_manual_match_shows_the_picked_volunteer_or_the_one_with_that_number(client, coordinator):
    newcomer = NewcomerFactory()
    namesakes = [VolunteerFactory(user__full_name="Jonas Berg") for _ in range(2)]
    client.force_login(coordinator)
    url = f"/en/matching/newcomers/{newcomer.pk}/match/"

    picked = client.get(url, {"q": "Jonas Berg", "volunteer": namesakes[1].pk})
    typed = client.get(url, {"q": f"#{namesakes[0].pk}"})
    searched = client.get(url, {"q": "Jonas"})

    assert [check.volunteer for check in picked.context["checks"]] == [namesakes[1]]
    assert [check.volunteer for check in typed.context["checks"]] == [namesakes[0]]
    assert len(searched.context["checks"]) == 2
    assert f"no. {namesakes[1].pk}" in picked.content.decode()
    assert 'data-person-picker="/en/volunteers/search/"' in searched.content.decode()
