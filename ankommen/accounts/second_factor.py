"""A second factor for everyone who sees newcomers' data: coordinators, admins and
working-group leads (feature apps add such roles through `register_second_factor_rule`).

Whether someone still has to set one up is decided once, at sign-in, and kept in the session,
so the check costs no query per request. Until it is set up, such a person can reach only the
pages that set it up (and sign out). Their session also ends after a working day, however
the browser keeps its cookie.
"""

import time
from collections.abc import Callable
from typing import Any

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from ankommen.accounts.models import Role

MISSING = "second_factor_missing"
# When a staff member's session ends, whatever "remember me" or the browser say.
STAFF_UNTIL = "staff_session_until"
STAFF_ROLES = (Role.COORDINATOR, Role.ADMIN)
# Recovery codes are not among them: they come with a factor and only stand in for it.
SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)
# What someone without their second factor may still open: setting it up, and leaving.
SETUP_VIEWS = frozenset(
    {
        "mfa_index",
        "mfa_activate_totp",
        "mfa_add_webauthn",
        "mfa_list_webauthn",
        "mfa_reauthenticate_webauthn",
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_download_recovery_codes",
        "mfa_reauthenticate",
        "account_reauthenticate",
        "account_logout",
        "set_language",
        "healthz",
    }
)

_rules: list[Callable[[Any], bool]] = []


def register_second_factor_rule(rule: Callable[[Any], bool]) -> None:
    """E.g. the working groups app: leads see their members' data, so they need one too."""
    _rules.append(rule)


def needs_second_factor(user: Any) -> bool:
    if not settings.REQUIRE_SECOND_FACTOR:
        return False
    if user.role in STAFF_ROLES or user.is_staff or user.is_superuser:
        return True
    return any(rule(user) for rule in _rules)


def has_second_factor(user: Any) -> bool:
    return Authenticator.objects.filter(user=user, type__in=SECOND_FACTORS).exists()


@receiver(user_logged_in)
def _decide_at_sign_in(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session"):
        return
    required = needs_second_factor(user)
    request.session[MISSING] = required and not has_second_factor(user)
    if required:
        request.session[STAFF_UNTIL] = time.time() + settings.STAFF_SESSION_AGE.total_seconds()


class SecondFactorRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        until = request.session.get(STAFF_UNTIL)
        if until is not None and time.time() > until:
            logout(request)
            messages.info(request, _("For your safety, please sign in again."))
            return redirect_to_login(request.get_full_path())
        # Only people still without a factor cost a query, until they have set it up.
        if request.session.get(MISSING) and has_second_factor(request.user):
            request.session.pop(MISSING)
        if request.session.get(MISSING) and not _allowed(request):
            messages.info(
                request,
                _(
                    "Your role gives you access to newcomers' personal data. Please set up a "
                    "second factor (an authenticator app or a security key) before you "
                    "continue."
                ),
            )
            return redirect("mfa_index")
        return self.get_response(request)


def _allowed(request: HttpRequest) -> bool:
    if request.path_info.startswith(settings.STATIC_URL):
        return True
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return True  # the 404 page gives nothing away
    return match.url_name in SETUP_VIEWS
