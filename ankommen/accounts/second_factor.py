"""A second factor for everyone who sees newcomers' data: coordinators, admins and
working-group leads (feature apps add such roles through the hook SEES_NEWCOMERS_DATA).

Decided on every request from what holds now: the person's role and duties, whether they have
a factor, whether the requirement is on. Someone made coordinator or lead, a factor removed, or
the requirement switched on: the next request of every session of theirs obeys it. Until a
factor is set up, such a person can reach only the pages that set it up (and sign out). Their
sessions also end a working day after sign-in, counted from the sign-in even when the role came
later, however the browser keeps its cookie.
"""

import time
from collections.abc import Callable
from typing import Any, Protocol

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.contrib.sessions.backends.base import SessionBase
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.translation import gettext as _

from ankommen.accounts.models import Role, User
from ankommen.hooks import Hook, declare

# When the session was signed in (seconds since the epoch), kept for everyone: the staff limit
# applies from the moment someone becomes staff, counted from the sign-in.
SIGNED_IN_AT = "signed_in_at"
# The account version (User.updated_at) at which a second factor was last found: until the
# account changes, the factor need not be looked up again.
FACTOR_SEEN = "second_factor_seen"
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


class SeesNewcomersData(Protocol):
    def __call__(self, user: User, /) -> bool: ...


SEES_NEWCOMERS_DATA: Hook[SeesNewcomersData] = declare(
    "accounts.sees_newcomers_data",
    "Who else sees newcomers' data and so needs a second factor, e.g. working-group leads, "
    "who see their members' data.",
)


def sees_newcomers_data(user: User) -> bool:
    """Newcomer accounts open only their own pages, whatever else they are linked to."""
    if user.role in STAFF_ROLES or user.is_staff or user.is_superuser:
        return True
    if user.role == Role.NEWCOMER:
        return False
    return any(rule(user) for rule in SEES_NEWCOMERS_DATA.providers())


def has_second_factor(user: User) -> bool:
    return Authenticator.objects.filter(user=user, type__in=SECOND_FACTORS).exists()


@receiver(user_logged_in)
def _remember_sign_in(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session"):
        return
    request.session[SIGNED_IN_AT] = time.time()
    if settings.REQUIRE_SECOND_FACTOR and sees_newcomers_data(user):
        # Looked up now, so the pages after sign-in need not: the version as stored, since a
        # factor used to sign in has just changed it.
        user.refresh_from_db(fields=["updated_at"])
        _factor_found(request.session, user)


@receiver(post_save, sender=Authenticator)
@receiver(post_delete, sender=Authenticator)
def _new_account_version(sender: Any, instance: Authenticator, **kwargs: Any) -> None:
    """A factor added or removed changes the account's version, so every session of the
    person looks their factors up again on its next request."""
    User.objects.filter(pk=instance.user_id).update(updated_at=timezone.now())


class SecondFactorRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return self.get_response(request)
        protected = sees_newcomers_data(user)
        if _session_is_over(request, protected):
            logout(request)
            messages.info(request, _("For your safety, please sign in again."))
            return redirect_to_login(request.get_full_path())
        if (
            protected
            and settings.REQUIRE_SECOND_FACTOR
            and not _factor_found(request.session, user)
            and not _allowed(request)
        ):
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


def _session_is_over(request: HttpRequest, protected: bool) -> bool:
    """A session without a sign-in time began before sign-in times were kept: its age is
    unknown, so it ends."""
    signed_in_at = request.session.get(SIGNED_IN_AT)
    if signed_in_at is None:
        return True
    return protected and time.time() - signed_in_at > settings.STAFF_SESSION_AGE.total_seconds()


def _factor_found(session: SessionBase, user: User) -> bool:
    """One query only when the account changed since a factor was last found, or has none."""
    version = user.updated_at.isoformat()
    if session.get(FACTOR_SEEN) == version:
        return True
    if not has_second_factor(user):
        session.pop(FACTOR_SEEN, None)
        return False
    session[FACTOR_SEEN] = version
    return True


def _allowed(request: HttpRequest) -> bool:
    if request.path_info.startswith(settings.STATIC_URL):
        return True
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return True  # the 404 page gives nothing away
    return match.url_name in SETUP_VIEWS
