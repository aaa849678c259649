"""What the done-when of "Every word in the reader's language" asks of the newcomer pages: with
the demo data, in Arabic, Farsi, Pashto, Tigrinya, Ukrainian and Somali, every course title,
place and offer is either in the reader's language or marked as German; and the pages cost the
same queries at two data sizes with translations present."""

import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from refugees.models import Newcomer
from refugees.services import issue_access_link
from tests.factories import CourseFactory, NewcomerFactory, SessionFactory, UserFactory
from trainings.models import Course, Session

pytestmark = pytest.mark.django_db

READER_LANGUAGES = ("ar", "fa", "ps", "ti", "uk", "so")
PAGES = ("offers/", "appointments/", "")


def _german_texts() -> set[str]:
    titles = set(Course.objects.values_list("title_de", flat=True))
    places = set(Session.objects.exclude(place_de="").values_list("place_de", flat=True))
    return {text for text in titles | places if text}


def _unmarked(page: str, text: str) -> list[str]:
    """Where the German text stands in the page without its own lang="de" around it."""
    found = []
    for match in re.finditer(re.escape(text), page):
        before = page[max(0, match.start() - 40) : match.start()]
        if 'lang="de"' not in before:
            found.append(page[max(0, match.start() - 60) : match.end() + 10])
    return found


def _open_as(client, newcomer, coordinator, language):
    Newcomer.objects.filter(pk=newcomer.pk).update(
        preferred_language=language, language_confirmed=True
    )
    card = issue_access_link(newcomer=newcomer, by=coordinator)
    client.get(f"/n/{card.token}/")


def test_with_the_demo_data_every_text_is_in_the_readers_language_or_marked_german(client):
    call_command("seed_demo", "--seed", "3", "--volunteers", "20", "--newcomers", "20",
                 "--sessions", "60", "--partners", "5", "--mentorships", "2")  # fmt: skip
    coordinator = UserFactory(role="coordinator")
    newcomer = Newcomer.objects.order_by("pk").first()
    german = _german_texts()
    seen_translated, marked = set(), 0

    for language in READER_LANGUAGES:
        _open_as(client, newcomer, coordinator, language)
        for page_name in PAGES:
            response = client.get(f"/{language}/me/{page_name}")
            assert response.status_code == 200
            page = response.content.decode()
            assert f'<html lang="{language}"' in page
            marked += page.count('lang="de" dir="ltr"')
            for text in german:
                assert _unmarked(page, text) == [], (language, page_name, text)
            for version in Course.objects.values_list(f"title_{language}", flat=True):
                if version and version in page:
                    seen_translated.add(language)
    # The demo comes with versions in some of these languages: they are shown, not German.
    assert {"ar", "fa", "uk", "ti"} <= seen_translated
    assert marked > len(READER_LANGUAGES)  # and German texts without a version, marked


def _sessions_with_versions(count: int) -> None:
    for number in range(count):
        course = CourseFactory(
            audience="newcomers",
            title=f"Kurs {number}",
            title_ar=f"دورة {number}" if number % 2 else None,
        )
        SessionFactory(course=course, place="Stadtteilhaus", place_ar="بيت الحي")


@pytest.mark.parametrize("page_name", PAGES)
def test_the_arabic_newcomer_pages_cost_the_same_with_three_or_thirty_translated_courses(
    client, coordinator, page_name
):
    newcomer = NewcomerFactory()
    _open_as(client, newcomer, coordinator, "ar")

    def queries_with(count: int) -> int:
        _sessions_with_versions(count)
        client.get(f"/ar/me/{page_name}")
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/ar/me/{page_name}").status_code == 200
        return len(captured)

    assert queries_with(3) == queries_with(27)


def test_the_catalogue_costs_the_same_with_three_or_thirty_translated_courses(client):
    from tests.factories import VolunteerFactory

    client.force_login(VolunteerFactory(user__preferred_language="ar").user)

    def queries_with(count: int) -> int:
        _sessions_with_versions(count)
        client.get("/ar/trainings/")
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/ar/trainings/").status_code == 200
        return len(captured)

    assert queries_with(3) == queries_with(27)
