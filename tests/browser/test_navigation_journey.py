"""The grouped menu in a real browser: a coordinator opens a group with the keyboard on a desktop
and with taps in the collapsed menu on a phone, and finds a person with the menu's search box."""

from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, shot, sign_in
from tests.factories import NewcomerFactory, UserFactory


def _no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], width


def test_a_coordinator_opens_a_group_with_the_keyboard_and_finds_a_person(live_server, page: Page):
    base = live_server.url
    coordinator = UserFactory(role="coordinator", email="clara@example.org")
    zahra = NewcomerFactory(full_name="Zahra Mohammadi", birth_year=1990)
    sign_in(page, base, coordinator.email)
    page.wait_for_url("**/cockpit/")
    menu = page.locator("#main-menu > ul.navbar-nav > li")
    assert menu.count() <= 7
    # The menu's entries stay on one line, below the search box and the account menu.
    toggle = page.locator("#menu-people")
    last = menu.last.bounding_box()
    assert abs(toggle.bounding_box()["y"] - last["y"]) < 5
    assert toggle.bounding_box()["y"] > page.locator("#menu-search").bounding_box()["y"]
    _no_sideways_scroll(page)

    toggle.focus()
    page.keyboard.press("Enter")
    expect(page.locator("[aria-labelledby=menu-people]")).to_be_visible()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    focused = page.evaluate("() => document.activeElement.getAttribute('href')")
    assert focused.endswith("/newcomers/"), focused
    assert_accessible(page)
    shot(page, "nav-people-open")
    page.keyboard.press("Enter")
    page.wait_for_url("**/newcomers/")
    expect(page.locator("#menu-people")).to_have_attribute("aria-current", "page")

    page.fill("#menu-search", "zahra")
    page.press("#menu-search", "Enter")
    page.wait_for_url("**/search/?q=zahra")
    expect(page.locator("main")).to_contain_text("1990")
    assert_accessible(page)
    shot(page, "nav-search-results")
    page.get_by_role("link", name="Zahra Mohammadi").click()
    page.wait_for_url(f"**{zahra.get_absolute_url()}")


def test_on_a_phone_the_groups_open_inside_the_collapsed_menu(live_server, phone: Page):
    base = live_server.url
    coordinator = UserFactory(role="coordinator", email="clara@example.org")
    sign_in(phone, base, coordinator.email)
    phone.wait_for_url("**/cockpit/")
    phone.goto(f"{base}/de/search/")
    expect(phone.locator("#menu-people")).to_be_hidden()

    phone.locator(".navbar-toggler").click()
    phone.locator("#menu-network").click()
    expect(phone.locator("[aria-labelledby=menu-network]")).to_be_visible()
    _no_sideways_scroll(phone)
    assert_accessible(phone)
    shot(phone, "nav-phone-network-open")
    phone.locator("[aria-labelledby=menu-network] a").first.click()
    phone.wait_for_url("**/network/**")
    _no_sideways_scroll(phone)
