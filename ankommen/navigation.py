"""The main menu, assembled per role from entries that each app registers (NAVIGATION)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise

from ankommen.hooks import Hook, declare

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ankommen.accounts.models import User


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    is_visible: Callable[["User | AnonymousUser"], bool]
    order: int = 100


NAVIGATION: Hook[NavItem] = declare(
    "ankommen.navigation",
    "Entries of the main menu, each with who sees it; apps add theirs instead of editing the "
    "base template.",
    key=lambda item: item.url_name,
    order=lambda item: item.order,
)


def nav_items_for(user: "User | AnonymousUser") -> list[dict[str, str]]:
    return [
        {"label": str(item.label), "url": reverse(item.url_name), "url_name": item.url_name}
        for item in NAVIGATION.providers()
        if item.is_visible(user)
    ]


def page_frame(request: HttpRequest) -> dict[str, object]:
    """Context processor: the portal's name and the menu for whoever asks, without queries."""
    user = getattr(request, "user", None)
    return {
        "PORTAL_NAME": settings.PORTAL_NAME,
        "MAP_ATTRIBUTION": settings.MAP_ATTRIBUTION,
        "nav_items": nav_items_for(user) if user is not None else [],
    }
