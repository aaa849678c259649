"""Signing in with the personal link: no password, no e-mail, and the token leaves the URL."""

from django.conf import settings
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from refugees import services

SESSION_LINK_KEY = "refugees:access_link"
LANGUAGE_COOKIE = settings.LANGUAGE_COOKIE_NAME


@login_not_required
@never_cache
@require_GET
def newcomer_access(request: HttpRequest, token: str) -> HttpResponse:
    """Exchange the link for a session, then go to a URL without the token.

    A link that no longer works explains, in the newcomer's language when we know it, what
    to do next; an unknown one says the same in the browser's language.
    """
    try:
        link = services.redeem_access_link(token=token)
    except services.AccessLinkError as error:
        return link_not_valid(
            request, error.newcomer.preferred_language if error.newcomer else None
        )
    newcomer = link.newcomer
    if request.user.is_authenticated:
        logout(request)
    login(request, newcomer.user, backend="django.contrib.auth.backends.ModelBackend")
    request.session[SESSION_LINK_KEY] = link.pk
    request.session.set_expiry(min(link.expires_at, timezone.now() + services.LINK_VALIDITY))
    language = newcomer.preferred_language
    with translation.override(language):
        first_page = "newcomer:home" if newcomer.language_confirmed else "newcomer:language"
        response = redirect(reverse(first_page))
    response.set_cookie(LANGUAGE_COOKIE, language, samesite="Lax", httponly=True, max_age=31536000)
    response["Referrer-Policy"] = "no-referrer"
    return response


def link_not_valid(request: HttpRequest, language: str | None) -> HttpResponse:
    with translation.override(language or translation.get_language()):
        response = render(request, "refugees/newcomer/link_not_valid.html", status=410)
    response["Referrer-Policy"] = "no-referrer"
    return response
