"""The main menu, assembled per role from entries that each app registers (NAVIGATION).

Coordinators reach some twenty pages: the menu groups them by what coordinators do (people,
matching, trainings, the network, messages, reports), one drop-down per group, so that the top
row holds at most `TOP_LEVEL_LIMIT` entries. Whoever sees no more entries than that (volunteers,
newcomers) gets them flat, as links. A group in which a person sees a single entry shows that
entry as a plain link.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ankommen.accounts.permissions import is_coordinator
from ankommen.hooks import Hook, declare

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ankommen.accounts.models import User

TOP_LEVEL_LIMIT = 7


@dataclass(frozen=True)
class NavGroup:
    """A drop-down of the menu, named for what people do there rather than for an app."""

    key: str
    label: str | Promise
    order: int


PEOPLE = NavGroup("people", _("People"), 100)
MATCHING = NavGroup("matching", _("Matching"), 250)
TRAININGS = NavGroup("trainings", _("Trainings"), 300)
NETWORK = NavGroup("network", _("Network"), 400)
MESSAGES = NavGroup("messages", _("Messages"), 500)
REPORTS = NavGroup("reports", _("Reports and data"), 600)


@dataclass(frozen=True)
class NavItem:
    """One menu entry: adding a page to a group is one `NAVIGATION.register(NavItem(...))`.

    `group=None` puts the entry at the top of the menu (Home, the dashboard, a volunteer's own
    pages); `order` sorts it there, and inside its group.
    """

    label: str | Promise
    url_name: str
    is_visible: Callable[["User | AnonymousUser"], bool]
    order: int = 100
    group: NavGroup | None = None


NAVIGATION: Hook[NavItem] = declare(
    "ankommen.navigation",
    "Entries of the main menu, each with who sees it and the group it belongs to; apps add "
    "theirs instead of editing the base template.",
    key=lambda item: item.url_name,
    order=lambda item: item.order,
)


PAGE, SECTION = "page", "true"


@dataclass(frozen=True)
class MenuLink:
    label: str
    url: str
    url_name: str
    # aria-current: "page" on the entry's own page, "true" on a page that belongs to it (a
    # volunteer's page belongs to the card file), "" elsewhere.
    current: str = ""
    is_group = False

    @property
    def is_current(self) -> bool:
        return bool(self.current)


@dataclass(frozen=True)
class MenuGroup:
    key: str
    label: str
    links: list[MenuLink] = field(default_factory=list)
    is_group = True

    @property
    def current(self) -> str:
        return next((link.current for link in self.links if link.current), "")

    @property
    def is_current(self) -> bool:
        return bool(self.current)

    @property
    def url(self) -> str:
        """Where the group's button leads when JavaScript does not open the drop-down."""
        return self.links[0].url


MenuEntry = MenuLink | MenuGroup


def _visible(user: "User | AnonymousUser") -> list[NavItem]:
    return [item for item in NAVIGATION.providers() if item.is_visible(user)]


def _shared_prefix(first: str, second: str) -> int:
    return next(
        (at for at, (a, b) in enumerate(zip(first, second, strict=False)) if a != b),
        min(len(first), len(second)),
    )


def _current_entry(items: list[NavItem], current: str | None) -> tuple[str, str] | None:
    """The entry the page is (its URL name and "page"), or the one it belongs to ("true"): in
    the same app, with the longest common start of the URL name (`matching:my_mentorship`
    belongs to `matching:my_mentorships`), the first in order on a tie."""
    if not current:
        return None
    if any(item.url_name == current for item in items):
        return current, PAGE
    namespace = current.partition(":")[0]
    same_app = [
        item for item in items if ":" in current and item.url_name.startswith(f"{namespace}:")
    ]
    if not same_app:
        return None
    best = max(same_app, key=lambda item: (_shared_prefix(item.url_name, current), -item.order))
    return best.url_name, SECTION


def _link(item: NavItem, here: tuple[str, str] | None) -> MenuLink:
    current = here[1] if here is not None and here[0] == item.url_name else ""
    return MenuLink(str(item.label), reverse(item.url_name), item.url_name, current)


def nav_items_for(user: "User | AnonymousUser", current: str | None = None) -> list[MenuLink]:
    """Every entry the person sees, in order, without groups (the start page lists them)."""
    items = _visible(user)
    here = _current_entry(items, current)
    return [_link(item, here) for item in items]


def menu_for(user: "User | AnonymousUser", current: str | None = None) -> list[MenuEntry]:
    """The top row of the menu: flat when the person sees few entries, grouped otherwise."""
    items = _visible(user)
    here = _current_entry(items, current)
    if len(items) <= TOP_LEVEL_LIMIT:
        return [_link(item, here) for item in items]
    top: list[tuple[int, MenuEntry]] = []
    grouped: dict[NavGroup, list[NavItem]] = {}
    for item in items:
        if item.group is None:
            top.append((item.order, _link(item, here)))
        else:
            grouped.setdefault(item.group, []).append(item)
    for group, members in grouped.items():
        if len(members) == 1:
            top.append((group.order, _link(members[0], here)))
        else:
            links = [_link(item, here) for item in members]
            top.append((group.order, MenuGroup(group.key, str(group.label), links)))
    return [entry for _order, entry in sorted(top, key=lambda pair: pair[0])]


def page_frame(request: HttpRequest) -> dict[str, object]:
    """Context processor: the portal's name, the menu and the search box for whoever asks,
    without queries."""
    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    current = match.view_name if match is not None else None
    return {
        "PORTAL_NAME": settings.PORTAL_NAME,
        "MAP_ATTRIBUTION": settings.MAP_ATTRIBUTION,
        "nav_items": nav_items_for(user, current) if user is not None else [],
        "nav_menu": menu_for(user, current) if user is not None else [],
        # The menu's person search box (ankommen.search).
        "can_search_people": user is not None and is_coordinator(user),
    }
