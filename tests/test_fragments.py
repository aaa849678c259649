"""Cached filter forms and choosers show a new choice on the very next request."""

import pytest
from django.core.cache import cache

from ankommen.fragments import choices_version
from ankommen.vocabulary.models import District, Language
from tests.factories import CourseFactory, SessionFactory, UserFactory, WorkingGroupFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """The version changes on commit; tests run inside a transaction that never commits."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_an_uncommitted_change_leaves_the_version_alone():
    before = choices_version()

    District.objects.create(name="Bemerode-Süd", slug="bemerode-sued")

    assert choices_version() == before


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_a_new_district_appears_in_the_cached_card_file_filter(client, committed):
    client.force_login(UserFactory(role="coordinator"))
    assert "Kleefeld-Nord" not in client.get("/de/volunteers/").content.decode()

    with committed():
        District.objects.create(name="Kleefeld-Nord", slug="kleefeld-nord")

    assert "Kleefeld-Nord" in client.get("/de/volunteers/").content.decode()


def test_a_new_working_group_appears_in_the_cached_bulk_chooser_and_a_deleted_one_goes(
    client, committed
):
    client.force_login(UserFactory(role="coordinator"))
    client.get("/de/volunteers/")

    with committed():
        group = WorkingGroupFactory(name="AG Fahrradwerkstatt")
    assert "AG Fahrradwerkstatt" in client.get("/de/volunteers/").content.decode()

    with committed():
        group.delete()
    assert "AG Fahrradwerkstatt" not in client.get("/de/volunteers/").content.decode()


def test_a_language_added_to_a_course_appears_in_the_cached_catalogue_filter(client, committed):
    course = CourseFactory()
    SessionFactory(course=course)
    tigrinya = Language.objects.get(code="ti")
    # A checkbox of the language filter.
    option = f'name="language" value="{tigrinya.pk}"'
    assert option not in client.get("/en/trainings/").content.decode()

    with committed():
        course.languages.add(tigrinya)

    assert option in client.get("/en/trainings/").content.decode()


def test_each_query_and_language_has_its_own_cached_filter(client):
    client.force_login(UserFactory(role="coordinator"))
    client.get("/de/newcomers/")

    filtered = client.get("/de/newcomers/", {"residence_status": "not-a-status"}).content.decode()
    english = client.get("/en/newcomers/").content.decode()

    assert "is-invalid" in filtered  # the bad choice is marked, not served from the cache
    assert 'lang="en"' in english
    assert "Residence status" in english
