"""Facts about the HTTP request that several apps record (consent evidence, for example)."""

from typing import TYPE_CHECKING

from allauth.account.adapter import get_adapter
from django.http import HttpRequest

if TYPE_CHECKING:
    from ankommen.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """The request of a view behind sign-in (LoginRequiredMiddleware, role checks): its user is
    an account, never anonymous. For type checkers only; Django still builds a plain request."""

    user: "User"


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, behind proxies as allauth's rate limits see it.

    Behind a reverse proxy set ALLAUTH_TRUSTED_PROXY_COUNT, or every request seems to come
    from the proxy.
    """
    try:
        return get_adapter(request).get_client_ip(request) or None
    except Exception:  # a malformed forwarding header must not cost the person their request
        return request.META.get("REMOTE_ADDR") or None
