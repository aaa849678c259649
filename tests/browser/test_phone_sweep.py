"""The phone sweep: every page each role can open, in German and Arabic, 360 px wide, and none may
scroll sideways.

The pages come from the URL x role matrix of tests/test_url_policy.py (those that answer 200 on
GET to that role, with that module's objects), so a page added later is swept without a line
here. Downloads and htmx fragments are left out: they are not pages a phone shows on their own.
"""

import time
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Browser, Page

from ankommen.accounts.models import Role, User
from refugees.models import Newcomer
from refugees.services import issue_access_link
from tests.browser.conftest import PHONE, shot
from tests.factories import HoursEntryFactory, NewcomerFactory, UserFactory
from tests.test_url_policy import URL_NAMES, _expected, _url, _user_for, objects  # noqa: F401
from volunteers.availability import mask_for
from volunteers.models import Volunteer
from volunteers.services import WIZARD_STEPS
from workgroups.models import Partner

# Each role in a right-to-left language, which breaks layouts most; in German too where the
# role has the most pages or its people read German (coordinators, volunteers, newcomers).
# Visitors' and partner staff's German pages are on a phone in their journeys.
SWEEPS = (
    ("anonymous", "ar"),
    ("newcomer", "de"),
    ("newcomer", "ar"),
    ("volunteer", "de"),
    ("volunteer", "ar"),
    ("lead", "ar"),
    ("partner", "ar"),
    ("coordinator", "de"),
    ("coordinator", "ar"),
)

# The widest element that sticks out of the viewport, leaving out what an element that scrolls
# on its own holds (a wide table in a .table-responsive scrolls inside the page, which is fine).
WIDEST_OVERFLOW = """() => {
  // What a tap would open counts too: the collapsed menu and every <details>.
  for (const menu of document.querySelectorAll('.navbar-collapse')) menu.classList.add('show');
  for (const details of document.querySelectorAll('details')) details.open = true;
  const root = document.documentElement;
  const limit = root.clientWidth;
  if (root.scrollWidth <= limit) return null;
  // Clipped by an ancestor that scrolls or hides, if that ancestor is on the way to the
  // element's containing block: a position: absolute child escapes static ancestors.
  const clipped = (element) => {
    let position = getComputedStyle(element).position;
    for (let up = element.parentElement; up && up !== document.body; up = up.parentElement) {
      const style = getComputedStyle(up);
      const contains = position === 'absolute' ? style.position !== 'static' : position !== 'fixed';
      if (!contains) continue;
      if (style.overflowX !== 'visible') return true;
      position = style.position;
    }
    return false;
  };
  const name = (element) => {
    let text = element.tagName.toLowerCase();
    if (element.id) text += '#' + element.id;
    for (const part of element.classList) text += '.' + part;
    return text;
  };
  let widest = null;
  for (const element of document.body.querySelectorAll('*')) {
    const box = element.getBoundingClientRect();
    const past = Math.max(box.right - limit, -box.left);
    if (past < 1 || box.width === 0 || clipped(element)) continue;
    if (!widest || box.width > widest.width) widest = {element, width: box.width, past};
  }
  const path = [];
  for (let up = widest && widest.element; up && up !== document.body; up = up.parentElement) {
    path.unshift(name(up));
  }
  return {
    scrollWidth: root.scrollWidth,
    clientWidth: limit,
    element: widest ? name(widest.element) : '(none found)',
    width: widest ? Math.round(widest.width) : 0,
    past: widest ? Math.round(widest.past) : 0,
    path: path.slice(-4).join(' > '),
    text: widest ? widest.element.textContent.trim().replace(/\\s+/g, ' ').slice(0, 60) : '',
  };
}"""


# Fewer pages than these would mean the sweep lost its way (a sign-in that did not take).
MINIMUM_PAGES = {
    "anonymous": 5,
    "newcomer": 5,
    "volunteer": 5,
    "lead": 15,
    "partner": 5,
    "coordinator": 40,
}

# Pages whose parameter changes what they show: each value is swept, not only the policy's one.
VARIANTS = {"volunteers:wizard": [{"step": step} for step in range(1, WIZARD_STEPS + 1)]}

# Kept in the browser artefacts, to look at how they read, not only that they fit (of a page
# with variants, the last: the wizard's availability step).
SCREENSHOTS = {
    "home",
    "newcomer:home",
    "volunteers:wizard",
    "volunteers:my_profile",
    "volunteers:my_hours",
    "volunteers:hours_review",
    "matching:mentorships",
    "cockpit:dashboard",
    "partners:home",
    "partners:network",
    "board:board",
}

# Words longer than a phone's line, where people type them: they must wrap, not push the page.
LONG_EMAIL = "beratung.integrationsbegleitung@migrationsberatung-hannover-mitte.example.org"
# The longest kind of name the demo's random names can give, for whoever is signed in: where the
# page names them (the menu, "who read this record"), a short random name once hid an overflow.
LONG_NAME = "Prof. Dr. Mohammed-Abdulrahman Gehringer-Schwarzenberg"


@dataclass(frozen=True)
class Visitor:
    client: Client
    pages: list[tuple[str, str]]  # (URL name, URL)


def _signed_in(role: str, language: str) -> Client:
    client = Client(headers={"accept-language": language})
    if role == "newcomer":
        newcomer = NewcomerFactory(preferred_language=language, language_confirmed=True)
        card = issue_access_link(newcomer=newcomer, by=UserFactory(role=Role.COORDINATOR))
        with translation.override(language):
            client.get(reverse("newcomer_access", args=[card.token]))
    elif role != "anonymous":
        user = _user_for(role)
        User.objects.filter(pk=user.pk).update(full_name=LONG_NAME)
        client.force_login(user)
        if role == "lead":
            _fill_the_volunteers_pages(user)
    return client


def _fill_the_volunteers_pages(user: User) -> None:
    """Free times and hours with a long note, so the profile and the hours table have rows."""
    volunteer = Volunteer.objects.get(user=user)
    volunteer.availability = mask_for([0, 8, 15, 16, 17])
    volunteer.save(update_fields=["availability"])
    for hours in (Decimal("1.50"), Decimal("12.25")):
        HoursEntryFactory(
            volunteer=volunteer, hours=hours, note="Begleitung zur Ausländerbehörde " * 3
        )


def _lengthen_the_words(objects: dict[str, dict[str, object]]) -> None:  # noqa: F811
    Newcomer.objects.filter(pk=objects["refugees"]["pk"]).update(email=LONG_EMAIL)
    Partner.objects.filter(pk=objects["workgroups:partner_detail"]["pk"]).update(
        contact_email=LONG_EMAIL, address="Migrationsberatungsstellenkoordinationsbüro, " * 2
    )
    User.objects.filter(volunteer__pk=objects["volunteers"]["pk"]).update(email=LONG_EMAIL)


def _urls_in(language: str, name: str, objects: dict[str, dict[str, object]]) -> list[str]:  # noqa: F811
    with translation.override(language):
        return [
            _url(name, {**objects, name: {**objects.get(name, {}), **values}})
            for values in VARIANTS.get(name, [{}])
        ]


def _pages_for(role: str, language: str, objects: dict) -> Visitor:  # noqa: F811
    """The full HTML pages the policy opens to this role; each must still answer 200."""
    _lengthen_the_words(objects)
    client = _signed_in(role, language)
    pages, drifted = [], []
    for name in URL_NAMES:
        if _expected(name, role) != 200:
            continue
        for url in _urls_in(language, name, objects):
            response = client.get(url)
            if response.status_code != 200:
                drifted.append(f"{url}: {response.status_code}")
                continue
            is_html = response.get("Content-Type", "").startswith("text/html")
            if is_html and not response.streaming and b"<html" in response.content:
                pages.append((name, url))
    assert drifted == [], f"the policy says 200 to {role}, the sweep got: {drifted}"
    return Visitor(client=client, pages=pages)


def _open(browser: Browser, base: str, visitor: Visitor, language: str) -> Page:
    context = browser.new_context(viewport=PHONE, locale=language)
    context.add_cookies(
        [
            {"name": name, "value": morsel.value, "url": base}
            for name, morsel in visitor.client.cookies.items()
        ]
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


@pytest.mark.parametrize(("role", "language"), SWEEPS)
def test_no_page_scrolls_sideways_on_a_phone(
    live_server,
    browser: Browser,
    objects,  # noqa: F811 (the fixture from test_url_policy)
    role,
    language,
):
    started = time.monotonic()
    visitor = _pages_for(role, language, objects)
    listed = time.monotonic()
    page = _open(browser, live_server.url, visitor, language)

    last_of_its_name = dict(visitor.pages)
    too_wide, lost = [], []
    for name, url in visitor.pages:
        response = page.goto(live_server.url + url, wait_until="load")
        if response is None or response.status != 200 or page.url != live_server.url + url:
            lost.append(url)  # the browser did not get the page the test client got
            continue
        if name in SCREENSHOTS and last_of_its_name[name] == url:
            shot(page, f"phone-{role}-{url.strip('/').replace('/', '-')}")
        found = page.evaluate(WIDEST_OVERFLOW)
        if found:
            too_wide.append(
                f"{url}: {found['scrollWidth']} px wide in {found['clientWidth']} px; widest "
                f"{found['element']} ({found['width']} px, {found['past']} px past the edge) "
                f"in {found['path']}: {found['text']!r}"
            )
    page.context.close()

    print(  # noqa: T201 (the sweep's cost, for whoever runs it with -s)
        f"{role}/{language}: {len(visitor.pages)} pages listed in {listed - started:.1f} s, "
        f"looked at in {time.monotonic() - listed:.1f} s"
    )
    assert len(visitor.pages) >= MINIMUM_PAGES[role], visitor.pages
    assert lost == []
    assert too_wide == [], "\n".join(too_wide)
