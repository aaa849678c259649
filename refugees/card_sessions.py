"""A newcomer account is usable only through a card that still works, on every URL.

Newcomer accounts have no e-mail and no password: the card is their only way in, and a
coordinator who stops it must be sure that it shuts. So every request of a newcomer account
checks the card its session was opened with (one query by primary key). A card stopped,
replaced or expired, or a closed record, ends the session at once, whatever page it asks for.

No page may open another way in either: allauth's pages (sign-in, e-mail addresses, passwords
and their reset, second factor) are refused to newcomer accounts; only signing out stays.
"""

from collections.abc import Callable
from typing import Any

from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve

from ankommen.accounts.permissions import is_newcomer, security_log
from refugees import services
from refugees.views.access import SESSION_LINK_KEY, link_not_valid

# The card's own link signs in afresh, whatever became of the session before it.
CARD_LINK_VIEW = "newcomer_access"
STILL_ALLOWED = frozenset({"account_logout"})


class CardSessionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if is_newcomer(user) and not services.link_is_active(
            link_id=request.session.get(SESSION_LINK_KEY), user=user
        ):
            language = user.preferred_language
            logout(request)
            if _url_name(request) != CARD_LINK_VIEW:
                return link_not_valid(request, language)
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> None:
        match = request.resolver_match
        if (
            is_newcomer(request.user)
            and view.__module__.startswith("allauth.")
            and (match is None or match.url_name not in STILL_ALLOWED)
        ):
            # The URL's name, not its path: some of these paths carry a secret key.
            security_log.warning(
                "newcomer account refused: user=%s view=%s",
                request.user.pk,
                match.url_name if match else view.__name__,
            )
            raise PermissionDenied


def _url_name(request: HttpRequest) -> str | None:
    try:
        return resolve(request.path_info).url_name
    except Resolver404:
        return None
