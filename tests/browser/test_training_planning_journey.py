"""A coordinator plans trainings without the administration: a new course, a weekly series
with a holiday left out, then takes a participant off a full session, after the confirmation.
Every page passes axe, and none scrolls sideways on a phone."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, shot, sign_in
from tests.factories import SessionFactory, UserFactory, VolunteerFactory
from trainings.models import Course, Registration, Session
from trainings.services import sign_up


def _fits(page: Page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], (page.url, width)


def test_a_coordinator_plans_a_course_and_a_series_and_removes_someone(live_server, page: Page):
    base = live_server.url
    coordinator = UserFactory(role="coordinator", email="clara@example.org")
    sign_in(page, base, coordinator.email)

    page.goto(f"{base}/de/trainings/manage/")
    assert_accessible(page)
    page.get_by_role("link", name="Neuer Kurs").click()
    page.fill("input[name=title]", "Erste Hilfe im Ehrenamt")
    page.select_option("select[name=audience]", "volunteers")
    page.get_by_role("button", name="Speichern").click()
    expect(page.locator("table")).to_contain_text("Erste Hilfe im Ehrenamt")
    assert_accessible(page)
    shot(page, "trainings-courses")

    course = Course.objects.get(title="Erste Hilfe im Ehrenamt")
    page.locator(f"a[href$='/sessions/series/?course={course.pk}']").click()
    first = timezone.localdate() + timedelta(days=14)
    page.fill("input[name=first_on]", first.isoformat())
    page.fill("input[name=starts_at_time]", "18:00")
    page.fill("input[name=ends_at_time]", "20:00")
    page.fill("input[name=weeks]", "4")
    page.fill("input[name=place]", "Stadtteiltreff Vahrenwald")
    assert_accessible(page)
    page.get_by_role("button", name="Daten anzeigen").click()
    expect(page.locator("main")).to_contain_text("4 Termine werden angelegt.")
    assert_accessible(page)
    shot(page, "trainings-series-preview")
    page.check(f"input[name=skipped][value='{(first + timedelta(weeks=2)).isoformat()}']")
    page.get_by_role("button", name="Liste aktualisieren").click()
    expect(page.locator("main")).to_contain_text("3 Termine werden angelegt.")
    page.get_by_role("button", name="Termine anlegen").click()
    expect(page.locator(".messages")).to_contain_text("3 Termine wurden angelegt.")
    assert course.sessions.count() == 3
    assert_accessible(page)

    full = SessionFactory(course=course, capacity=1, starts_at=timezone.now() + timedelta(days=3))
    anna = VolunteerFactory(user__full_name="Anna Beispiel").user
    bert = VolunteerFactory(user__full_name="Bert Wartend").user
    for person in (anna, bert):
        sign_up(session=full, user=person, by=person)
    page.goto(f"{base}/de/trainings/manage/{full.pk}/")
    page.get_by_role("link", name="Entfernen …").first.click()
    expect(page.locator("main")).to_contain_text("Bert Wartend, an erster Stelle der Warteliste")
    assert_accessible(page)
    shot(page, "trainings-remove-confirmation")
    page.get_by_role("button", name="Entfernen").click()
    expect(page.locator(".messages")).to_contain_text("Bert Wartend")
    assert Registration.objects.get(user=bert).state == "confirmed"
    assert Session.objects.get(pk=full.pk).confirmed_count == 1


def test_the_planning_pages_fit_a_phone_in_german_and_arabic(live_server, phone: Page):
    base = live_server.url
    coordinator = UserFactory(role="coordinator", email="clara@example.org")
    session = SessionFactory(course__title="Interkulturelle Kommunikation im Alltag")
    person = VolunteerFactory().user
    registration = sign_up(session=session, user=person, by=person)
    sign_in(phone, base, coordinator.email)
    pages = [
        "/trainings/manage/",
        "/trainings/manage/courses/",
        "/trainings/manage/courses/new/",
        f"/trainings/manage/courses/{session.course_id}/edit/",
        f"/trainings/manage/courses/{session.course_id}/retire/",
        "/trainings/manage/sessions/new/",
        "/trainings/manage/sessions/series/",
        f"/trainings/manage/{session.pk}/",
        f"/trainings/manage/{session.pk}/edit/",
        f"/trainings/manage/{session.pk}/cancel/",
        f"/trainings/manage/{session.pk}/registrations/{registration.pk}/cancel/",
    ]

    for language in ("de", "ar"):
        for path in pages:
            phone.goto(f"{base}/{language}{path}")
            assert_accessible(phone)
            _fits(phone)
