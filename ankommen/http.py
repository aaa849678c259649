"""Facts about the HTTP request that several apps record (consent evidence, for example)."""

from allauth.account.adapter import get_adapter
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, behind proxies as allauth's rate limits see it.

    Behind a reverse proxy set ALLAUTH_TRUSTED_PROXY_COUNT, or every request seems to come
    from the proxy.
    """
    try:
        return get_adapter(request).get_client_ip(request) or None
    except Exception:  # a malformed forwarding header must not cost the person their request
        return request.META.get("REMOTE_ADDR") or None
