"""Real-browser journeys: Debian's Chromium driven by Playwright against pytest-django's live
server. Each module starts one browser; every test gets a fresh context (cookies, viewport).

Screenshots of key pages land in var/browser-artifacts/ (or $BROWSER_ARTIFACTS) for CI to keep.
"""

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import Browser, Page, sync_playwright

from tests.factories import PASSWORD, current_totp_code

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
ARTIFACTS = Path(os.environ.get("BROWSER_ARTIFACTS", "var/browser-artifacts"))
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
SERIOUS = {"serious", "critical"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)
            # A live server answers from its own thread: real transactions, emptied after
            # each test; `seeded_vocabulary` puts the data migrations' rows back.
            item.add_marker(pytest.mark.django_db(transaction=True))
            item.fixturenames.insert(0, "seeded_vocabulary")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    # Playwright's sync API keeps an event loop in this thread; the ORM calls the tests make
    # around it are still synchronous and safe, so Django's guard is lifted for these modules.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def _new_page(browser: Browser, viewport: dict[str, int]) -> Iterator[Page]:
    context = browser.new_context(viewport=viewport, locale="de-DE")
    # Injected through the DevTools protocol, so the pages' CSP (no inline scripts) stays on.
    context.add_init_script(path=str(AXE))
    page = context.new_page()
    page.set_default_timeout(15_000)
    # Anything the Content-Security-Policy blocked would be a feature that silently fails.
    blocked: list[str] = []
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield page
    context.close()
    assert blocked == [], blocked


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    yield from _new_page(browser, DESKTOP)


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    yield from _new_page(browser, PHONE)


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def assert_accessible(page: Page) -> None:
    """axe-core on the page as it is: no serious or critical violation of WCAG 2.1 A/AA."""
    result = page.evaluate(
        "() => axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    found = [
        f"{violation['id']} ({violation['impact']}): "
        + ", ".join(node["target"][0] for node in violation["nodes"][:3])
        for violation in result["violations"]
        if violation["impact"] in SERIOUS
    ]
    assert found == [], f"{page.url}: {found}"


def sign_in(page: Page, base: str, email: str, password: str = PASSWORD) -> None:
    """Password first; people with a second factor then type the code from their app."""
    page.goto(f"{base}/de/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.press("input[name=password]", "Enter")
    page.wait_for_load_state("networkidle")
    if "/2fa/authenticate/" in page.url:
        assert_accessible(page)
        page.fill("input[name=code]", current_totp_code())
        page.press("input[name=code]", "Enter")
        page.wait_for_load_state("networkidle")


def link_in_last_mail(pattern: str) -> str:
    found = re.search(pattern, mail.outbox[-1].body)
    assert found, mail.outbox[-1].body
    return found.group(0)
