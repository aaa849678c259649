"""Journey 3: a newcomer opens the personal card on a phone, switches to Arabic, asks for help
with housing; the coordinator then sees the need. And the same by keyboard alone."""

from playwright.sync_api import Page, expect

from refugees.models import Need
from refugees.services import issue_access_link
from tests.browser.conftest import assert_accessible, shot, sign_in
from tests.factories import NewcomerFactory, UserFactory


def open_card(phone: Page, base: str) -> tuple:
    coordinator = UserFactory(role="coordinator", email="clara@example.org")
    newcomer = NewcomerFactory(full_name="Amina Haddad", preferred_language="de")
    card = issue_access_link(newcomer=newcomer, by=coordinator)
    phone.goto(f"{base}/n/{card.token}/")
    return coordinator, newcomer


def test_a_newcomer_asks_for_help_in_arabic_on_a_phone(live_server, phone: Page, page: Page):
    coordinator, newcomer = open_card(phone, live_server.url)
    expect(phone.locator("h1")).to_contain_text("Amina")
    assert phone.locator("html").get_attribute("dir") == "ltr"
    assert_accessible(phone)
    shot(phone, "3-newcomer-home-de")

    phone.click("a[href$='/me/language/']")
    assert_accessible(phone)
    phone.click("button[value=ar]")
    expect(phone.locator("html")).to_have_attribute("dir", "rtl")
    expect(phone.locator("html")).to_have_attribute("lang", "ar")
    assert "/ar/me/" in phone.url
    assert_accessible(phone)
    shot(phone, "3-newcomer-home-ar")
    # Nothing is cut off or scrolls sideways at 360 px.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    phone.click("a[href$='/me/help/']")
    assert_accessible(phone)
    phone.locator("input[name=theme]").nth(_housing_position(phone)).check()
    phone.fill("textarea[name=note]", "Wir suchen eine Wohnung für vier Personen.")
    shot(phone, "3-newcomer-help-ar")
    phone.click("button[type=submit]")
    expect(phone.locator("h1")).to_be_visible()
    assert "/help/sent/" in phone.url
    assert_accessible(phone)

    need = Need.objects.get(newcomer=newcomer)
    assert need.theme.slug == "housing"
    sign_in(page, live_server.url, coordinator.email)
    page.goto(f"{live_server.url}/de/newcomers/{newcomer.pk}/")
    expect(page.locator("main")).to_contain_text("vier Personen")
    assert_accessible(page)
    shot(page, "3-coordinator-sees-need")


def _housing_position(phone: Page) -> int:
    from ankommen.vocabulary.models import Theme

    values = phone.locator("input[name=theme]").evaluate_all("nodes => nodes.map(n => n.value)")
    return values.index(str(Theme.objects.get(slug="housing").pk))


def test_the_newcomer_view_works_with_the_keyboard_alone(live_server, phone: Page):
    _coordinator, newcomer = open_card(phone, live_server.url)

    help_link = phone.locator("a[href$='/me/help/']")
    for _ in range(30):
        phone.keyboard.press("Tab")
        if help_link.evaluate("node => node === document.activeElement"):
            break
    else:
        raise AssertionError("“I need help” cannot be reached with Tab")
    outline = help_link.evaluate("node => getComputedStyle(node).outlineStyle")
    assert outline not in ("", "none"), "the focused tile shows no focus ring"
    phone.keyboard.press("Enter")
    phone.wait_for_url("**/me/help/")

    # Tab into the radio group, pick the first theme with Space, then on to the button.
    first = phone.locator("input[name=theme]").first
    for _ in range(20):
        phone.keyboard.press("Tab")
        if first.evaluate("node => node === document.activeElement"):
            break
    phone.keyboard.press("Space")
    submit = phone.locator("button[type=submit]")
    for _ in range(20):
        phone.keyboard.press("Tab")
        if submit.evaluate("node => node === document.activeElement"):
            break
    phone.keyboard.press("Enter")
    phone.wait_for_url("**/help/sent/")

    assert Need.objects.filter(newcomer=newcomer).count() == 1
