"""Texts newcomers and volunteers read come in their language where a version exists, and
otherwise in German, marked as German (its own lang and dir, isolated) with a quiet note."""

import importlib

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from refugees.services import issue_access_link
from tests.factories import CourseFactory, NetworkEventFactory, NewcomerFactory, SessionFactory
from trainings.models import Course, Session
from trainings.services import sign_up
from workgroups.models import NetworkEvent

pytestmark = pytest.mark.django_db

GERMAN_MARK = '<bdi lang="de" dir="ltr">'


def _newcomer_page(client, coordinator, page, language="ar", **newcomer):
    card = issue_access_link(newcomer=NewcomerFactory(**newcomer), by=coordinator)
    client.get(f"/n/{card.token}/")
    return client.get(f"/{language}/me/{page}/").content.decode()


def _in(language, name, *args):
    with translation.override(language):
        return reverse(name, args=args)


def _in_english(name, args=()):
    return _in("en", name, *args)


def _newcomer_course(title, **versions):
    return CourseFactory(audience="newcomers", title=title, **versions)


def test_an_arabic_newcomer_reads_the_arabic_title_where_it_is_given(client, coordinator):
    SessionFactory(course=_newcomer_course("Deutsch im Alltag", title_ar="الألمانية اليومية"))

    page = _newcomer_page(client, coordinator, "offers")

    assert "الألمانية اليومية" in page
    assert "Deutsch im Alltag" not in page


def test_without_an_arabic_version_the_german_title_is_marked_as_german(client, coordinator):
    SessionFactory(course=_newcomer_course("Deutsch im Alltag."), place="Stadtteilhaus Nord")

    page = _newcomer_page(client, coordinator, "offers")

    assert '<html lang="ar" dir="rtl"' in page
    # Isolated left to right, so the full stop stays at the end of the German sentence.
    assert f"{GERMAN_MARK}Deutsch im Alltag.</bdi>" in page
    assert f"{GERMAN_MARK}Stadtteilhaus Nord</bdi>" in page
    with translation.override("ar"):
        note = translation.gettext("in German, translation on its way")
    assert note != "in German, translation on its way"  # translated, not left in English
    assert f"({note})" in page


def test_a_german_reader_gets_the_text_unmarked(client, coordinator):
    SessionFactory(course=_newcomer_course("Deutsch im Alltag", title_ar="الألمانية اليومية"))

    page = _newcomer_page(client, coordinator, "offers", language="de", preferred_language="de")

    assert "<strong>Deutsch im Alltag</strong>" in page
    assert GERMAN_MARK not in page


def test_appointments_mark_a_place_without_a_version(client, coordinator):
    session = SessionFactory(
        course=_newcomer_course("Fahrradwerkstatt", title_fa="کارگاه دوچرخه"), place="Hof"
    )
    newcomer = NewcomerFactory(preferred_language="fa")
    sign_up(session=session, newcomer=newcomer, by=coordinator)
    card = issue_access_link(newcomer=newcomer, by=coordinator)
    client.get(f"/n/{card.token}/")

    page = client.get("/fa/me/appointments/").content.decode()

    assert "کارگاه دوچرخه" in page
    assert f"{GERMAN_MARK}Hof</bdi>" in page


def test_the_offers_page_costs_the_same_with_more_courses_and_versions(client, coordinator):
    def add(count):
        for number in range(count):
            versions = {"title_ar": f"دورة {number}"} if number % 2 else {}
            SessionFactory(course=_newcomer_course(f"Kurs {number}", **versions))

    card = issue_access_link(newcomer=NewcomerFactory(), by=coordinator)
    client.get(f"/n/{card.token}/")
    counts = []
    for count in (2, 6):
        add(count)
        client.get("/ar/me/offers/")
        with CaptureQueriesContext(connection) as captured:
            page = client.get("/ar/me/offers/").content.decode()
        counts.append(len(captured))
    assert "دورة 1" in page
    assert counts[0] == counts[1]


# Writing: coordinators write German, whatever their interface language ------------------------


def test_texts_set_by_their_plain_name_go_into_the_german_column_in_any_language():
    with translation.override("en"):
        course = Course.objects.create(title="Erste Hilfe", audience="volunteers")
        course.description = "Ein Kurs."
        course.save()
        session = SessionFactory(course=course, place="Rathaus")
        session.place = "Bürgerhaus"
        session.save(update_fields=["place"])

    course = Course.objects.get(pk=course.pk)
    session = Session.objects.get(pk=session.pk)
    assert (course.title_de, course.title_en) == ("Erste Hilfe", None)
    assert (course.description_de, course.description_en) == ("Ein Kurs.", None)
    assert (session.place_de, session.place_en) == ("Bürgerhaus", None)


def test_a_coordinator_with_an_english_interface_writes_german_and_adds_an_arabic_version(
    client, coordinator
):
    client.force_login(coordinator)
    form_page = client.get(_in_english("trainings:course_create")).content.decode()
    assert "Translations" in form_page
    assert 'name="title_ar"' in form_page
    assert 'lang="ar"' in form_page
    assert 'dir="rtl"' in form_page

    response = client.post(
        _in_english("trainings:course_create"),
        {"title": "Erste Hilfe", "audience": "volunteers", "title_ar": "الإسعافات الأولية"},
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    course = Course.objects.get()
    assert (course.title_de, course.title_en, course.title_ar) == (
        "Erste Hilfe",
        None,
        "الإسعافات الأولية",
    )
    edit_page = client.get(_in_english("trainings:course_edit", args=[course.pk]))
    assert 'value="Erste Hilfe"' in edit_page.content.decode()  # the German text, to edit


def test_an_event_edited_in_english_keeps_its_german_title_and_gets_a_version(
    client, coordinator, volunteer
):
    event = NetworkEventFactory(title="Netzwerkcafé", place="Café Nord")
    client.force_login(coordinator)

    response = client.post(
        _in_english("workgroups:event_edit", args=[event.pk]),
        {
            "title": "Netzwerkcafé",
            "starts_at": event.starts_at.strftime("%Y-%m-%dT%H:%M"),
            "place": "Café Nord",
            "title_uk": "Мережеве кафе",
        },
    )

    assert response.status_code == 302
    event = NetworkEvent.objects.get(pk=event.pk)
    assert (event.title_de, event.title_en, event.title_uk) == (
        "Netzwerkcafé",
        None,
        "Мережеве кафе",
    )
    client.force_login(volunteer)
    page = client.get(_in("uk", "workgroups:events")).content.decode()
    assert "Мережеве кафе" in page
    assert f"{GERMAN_MARK}Café Nord</bdi>" in page


# Migrations keep what was typed ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("app", "migration", "model", "field"),
    [
        ("trainings", "0004_translated_course_and_session_texts", "Course", "title"),
        ("workgroups", "0005_translated_task_offer_event_texts", "NetworkEvent", "place"),
    ],
)
def test_the_migration_copies_the_existing_text_into_the_german_column(
    app, migration, model, field
):
    module = importlib.import_module(f"{app}.migrations.{migration}")
    apps = MigrationLoader(connection).project_state((app, migration)).apps
    Model = apps.get_model(app, model)
    record = (
        CourseFactory(title="Alt")
        if model == "Course"
        else NetworkEventFactory(place="Altes Rathaus")
    )
    text = getattr(record, field)
    Model.objects.filter(pk=record.pk).update(**{f"{field}_de": None})  # as before the versions

    module.copy_source_text(apps, None)

    assert Model.objects.filter(pk=record.pk).values_list(f"{field}_de", flat=True).get() == text
    Model.objects.filter(pk=record.pk).update(**{field: "", f"{field}_de": "Neu"})
    module.copy_back(apps, None)
    assert Model.objects.filter(pk=record.pk).values_list(field, flat=True).get() == "Neu"


def test_searching_and_sorting_by_a_text_use_the_german_text_in_any_language():
    CourseFactory(title="Bäckerei", title_en="A bakery")
    CourseFactory(title="Anmeldung")

    with translation.override("en"):
        titles = list(Course.objects.values_list("title", flat=True))
        found = list(Course.objects.filter(title__icontains="bäck").values_list("pk", flat=True))

    assert titles == ["Anmeldung", "Bäckerei"]  # the English version plays no part
    assert len(found) == 1
