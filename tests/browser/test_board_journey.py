"""The board journey: on a 360 px phone, signed out, a visitor finds a task by theme and
district, taps "I want to help", registers, confirms the address from the e-mail, gives the
consent the onboarding starts with, and lands signed up for that task."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import Browser, expect

from ankommen.vocabulary.models import District, Theme
from tests.browser.conftest import PHONE, assert_accessible, link_in_last_mail, shot
from tests.factories import PartnerFactory, SessionFactory, TaskFactory
from workgroups.models import TaskSignup


def test_a_visitor_finds_a_task_registers_and_lands_signed_up(live_server, browser: Browser):
    base = live_server.url
    housing = Theme.objects.get(slug="housing")
    mitte = District.objects.get(slug="mitte")
    other = District.objects.exclude(pk=mitte.pk).order_by("pk").first()
    starts_at = timezone.now() + timedelta(days=4)
    task = TaskFactory(
        title="Umzugshilfe für eine Familie aus Syrien",
        description="Wir tragen Kisten und bauen Schränke auf. Bitte feste Schuhe mitbringen.",
        theme=housing,
        district=mitte,
        where="Lister Meile 12",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=3),
        helpers_needed=3,
        partner=PartnerFactory(name="Caritas Hannover"),
    )
    TaskFactory(title="Möbel abholen", theme=housing, district=other, starts_at=starts_at)
    TaskFactory(title="Hausaufgabenhilfe", district=mitte, starts_at=starts_at)
    SessionFactory(course__title="Grundlagen der Begleitung")
    context = browser.new_context(viewport=PHONE, locale="de-DE")
    context.add_init_script(path="tests/browser/vendor/axe.min.js")
    page = context.new_page()
    page.set_default_timeout(15_000)

    page.goto(f"{base}/de/")
    page.locator("main a[href='/de/help/']").click()
    page.wait_for_url("**/de/help/")
    assert_accessible(page)
    shot(page, "board-1-ways-to-help")

    page.locator("summary", has_text="Filter").click()
    page.check(f"input[name=theme][value='{housing.pk}']")
    page.check(f"input[name=district][value='{mitte.pk}']")
    page.locator("form.filter-form button[type=submit]").click()
    page.wait_for_url("**/de/help/?*")
    cards = page.locator("main li.card")
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text("Caritas Hannover")
    expect(cards.first).to_contain_text("3 Plätze frei")
    assert_accessible(page)
    shot(page, "board-2-filtered")

    cards.first.locator("h2 a").click()
    page.wait_for_url(f"**/de/help/task/{task.pk}/")
    assert_accessible(page)
    shot(page, "board-3-entry")

    page.locator("main form[action$='/want/'] button").click()
    page.wait_for_url("**/de/accounts/signup/?next=*")
    assert_accessible(page)
    page.fill("input[name=full_name]", "Leila Rahimi")
    page.fill("input[name=email]", "leila@example.org")
    page.fill("input[name=password1]", "ein-langes-passwort-9")
    page.fill("input[name=password2]", "ein-langes-passwort-9")
    shot(page, "board-4-register")
    page.press("input[name=password2]", "Enter")
    page.wait_for_load_state("networkidle")
    assert_accessible(page)

    link = link_in_last_mail(r"https?://\S+/confirm-email/\S+/")
    page.goto(base + "/" + link.split("//", 1)[1].split("/", 1)[1])
    assert_accessible(page)
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/de/volunteers/me/start/?next=*")
    assert_accessible(page)
    shot(page, "board-5-consent")
    page.check("input[name=agree]")
    page.locator("main button[type=submit]").click()

    page.wait_for_url(f"**/de/network/tasks/{task.pk}/")
    expect(page.locator(".messages")).to_contain_text("angemeldet")
    assert_accessible(page)
    shot(page, "board-6-signed-up")
    signup = TaskSignup.objects.get(task=task)
    assert signup.user.email == "leila@example.org"
    assert signup.cancelled_at is None
    context.close()


def test_the_board_and_an_entry_in_arabic_on_a_phone(live_server, browser: Browser):
    starts_at = timezone.now() + timedelta(days=4)
    task = TaskFactory(
        title="Umzugshilfe",
        title_ar="مساعدة في الانتقال",
        description="Wir tragen Kisten.",
        theme=Theme.objects.get(slug="housing"),
        district=District.objects.get(slug="mitte"),
        starts_at=starts_at,
        helpers_needed=2,
    )
    context = browser.new_context(viewport=PHONE, locale="ar")
    context.add_init_script(path="tests/browser/vendor/axe.min.js")
    page = context.new_page()

    page.goto(f"{live_server.url}/ar/help/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("main")).to_contain_text("مساعدة في الانتقال")
    assert_accessible(page)
    shot(page, "board-7-ways-to-help-ar")
    page.goto(f"{live_server.url}/ar/help/task/{task.pk}/")
    assert_accessible(page)
    shot(page, "board-8-entry-ar")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    context.close()
