"""The translators' journey: a coordinator publishes a course; an Arabic-speaking volunteer
joins the translators, finds the request in the queue, translates the title on a phone; a second
translator approves it; and the Arabic newcomer reads the Arabic title on their phone. Before the
approval the newcomer still reads the German title, marked as German.

Screenshots land in var/browser-artifacts/translate-*.png (the README shows them)."""

from contextlib import contextmanager

from playwright.sync_api import Browser, expect

from ankommen.vocabulary.models import Language
from refugees.services import issue_access_link
from tests.browser.conftest import PHONE, _new_page, assert_accessible, shot, sign_in
from tests.factories import (
    LanguageSkillFactory,
    NewcomerFactory,
    SessionFactory,
    UserFactory,
    VolunteerFactory,
)
from trainings.models import Course
from translations.models import TranslationTask
from volunteers.models import HoursEntry

ARABIC_TITLE = "الألمانية في الحياة اليومية"


# Each person in their own browser, with axe and the CSP watch of the other journeys.
_person = contextmanager(_new_page)


def _arabic_speaker(email: str) -> str:
    volunteer = VolunteerFactory(user__email=email)
    LanguageSkillFactory(volunteer=volunteer, language=Language.objects.get(code="ar"))
    return email


def test_a_course_title_reaches_the_newcomer_in_arabic_after_two_translators(
    live_server, browser: Browser
):
    base = live_server.url
    coordinator = UserFactory(role="coordinator", email="clara@example.org")
    newcomer = NewcomerFactory(preferred_language="ar", language_confirmed=True)
    translator = _arabic_speaker("yasmin@example.org")
    reviewer = _arabic_speaker("omar@example.org")

    # The coordinator publishes a course for newcomers; its title is asked for in Arabic,
    # the language a newcomer reads.
    with _person(browser, {"width": 1280, "height": 900}) as page:
        sign_in(page, base, coordinator.email)
        page.goto(f"{base}/de/trainings/manage/courses/new/")
        page.fill("input[name=title]", "Deutsch im Alltag")
        page.select_option("select[name=audience]", "newcomers")
        page.locator("main button[type=submit].btn-primary").click()
        page.wait_for_load_state("networkidle")
    course = Course.objects.get(title="Deutsch im Alltag")
    SessionFactory(course=course, place="")
    task = TranslationTask.objects.get(object_id=course.pk, field="title", language="ar")

    # The newcomer meanwhile reads the German title, marked as German.
    card = issue_access_link(newcomer=newcomer, by=coordinator)
    with _person(browser, PHONE) as phone:
        phone.goto(f"{base}/n/{card.token}/")
        phone.goto(f"{base}/ar/me/offers/")
        expect(phone.locator('main bdi[lang="de"]').first).to_have_text("Deutsch im Alltag")

    # An Arabic-speaking volunteer joins the translators and translates the title on a phone.
    with _person(browser, PHONE) as phone:
        sign_in(phone, base, translator)
        phone.goto(f"{base}/de/translations/")
        assert_accessible(phone)
        shot(phone, "translate-1-join")
        phone.locator("main form[action$='/translations/join/'] button").click()
        phone.wait_for_load_state("networkidle")
        expect(phone.locator(f"main a[href$='/translations/{task.pk}/']")).to_be_visible()
        assert_accessible(phone)
        shot(phone, "translate-2-queue")
        phone.locator(f"main a[href$='/translations/{task.pk}/']").click()
        phone.locator("main button[value=claim]").click()
        phone.wait_for_load_state("networkidle")
        field = phone.locator("textarea[name=text]")
        expect(field).to_have_attribute("dir", "rtl")
        expect(field).to_have_attribute("lang", "ar")
        field.fill(ARABIC_TITLE)
        phone.fill("input[name=minutes]", "20")
        assert_accessible(phone)
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        shot(phone, "translate-3-translating")
        phone.locator("main button[value=submit]").click()
        phone.wait_for_load_state("networkidle")
    task.refresh_from_db()
    assert task.state == TranslationTask.State.SUBMITTED
    course.refresh_from_db()
    assert course.title_ar is None  # nobody reads it before the review

    # A second translator reviews and approves it.
    with _person(browser, PHONE) as phone:
        sign_in(phone, base, reviewer)
        phone.goto(f"{base}/de/translations/")
        phone.locator("main form[action$='/translations/join/'] button").click()
        phone.wait_for_load_state("networkidle")
        phone.locator(f"main a[href$='/translations/{task.pk}/']").click()
        expect(phone.locator("main [lang=ar][dir=rtl]").first).to_have_text(ARABIC_TITLE)
        assert_accessible(phone)
        shot(phone, "translate-4-review")
        phone.locator("main button[value=approve]").click()
        phone.wait_for_load_state("networkidle")
    course.refresh_from_db()
    assert course.title_ar == ARABIC_TITLE

    # The newcomer now reads the Arabic title on their phone.
    with _person(browser, PHONE) as phone:
        phone.goto(f"{base}/n/{card.token}/")
        phone.goto(f"{base}/ar/me/offers/")
        expect(phone.locator("main")).to_contain_text(ARABIC_TITLE)
        expect(phone.locator("main")).not_to_contain_text("Deutsch im Alltag")
        assert_accessible(phone)
        shot(phone, "translate-5-newcomer")

    # The translator's 20 minutes wait as hours for the coordinators to confirm.
    assert HoursEntry.objects.get(volunteer__user__email=translator).hours == 0.5
