from datetime import datetime
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.stagekit import clear_login
from allauth.account.utils import user_display
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import translation
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from ankommen.accounts.models import Role, User, normalize_email
from ankommen.accounts.sign_in_links import sign_in_grant_for
from ankommen.accounts.sign_in_throttle import (
    SignInThrottledError,
    claim_sign_in_attempt,
    forget_sign_in_attempt,
    network_of,
)
from ankommen.messaging.services import enqueue_mail

# The sign-in page offers a link by e-mail after this refusal (sign_in_links.py).
THROTTLED = "sign_in_throttled"


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return settings.ACCOUNT_SIGNUP_OPEN

    def pre_login(self, request: HttpRequest, user: Any, **kwargs: Any) -> HttpResponse | None:
        """Newcomer accounts open only with their card (refugees/card_sessions.py): a password
        or an e-mail address they got some other way is no way in."""
        if user.role == Role.NEWCOMER:
            clear_login(request)
            messages.error(
                request,
                _(
                    "This account signs in only with its personal card. Please ask your "
                    "coordinator for a new card if yours no longer works."
                ),
            )
            return redirect("account_login")
        return super().pre_login(request, user, **kwargs)

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        """Instead of allauth's count per account, which let anyone lock an account."""
        email = credentials.get("email", "")
        try:
            self._sign_in_attempt = claim_sign_in_attempt(
                email=email,
                network=network_of(self.get_client_ip(request)),
                grant=sign_in_grant_for(request.session, email),
            )
        except SignInThrottledError as throttled:
            raise forms.ValidationError(str(throttled), code=THROTTLED) from throttled

    def authenticate(self, request: HttpRequest, **credentials: Any) -> AbstractBaseUser | None:
        user = super().authenticate(request, **credentials)
        if user is not None:
            forget_sign_in_attempt(self._sign_in_attempt)
        return user

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Account e-mails go through the outbox like every other e-mail of the portal. A mail
        to an address not yet confirmed still belongs to its account, so erasure finds it."""
        account = context.get("user")
        recipient = (
            account
            if isinstance(account, User) and account.pk
            else User.objects.filter(email=normalize_email(email)).first()
        )
        language = (
            recipient.preferred_language if recipient else translation.get_language()
        ) or settings.LANGUAGE_CODE
        with translation.override(language):
            stored_context = mail_context(context)
        enqueue_mail(
            to_email=email,
            recipient=recipient,
            template=template_prefix,
            context=stored_context,
            secret_context=secret_mail_context(context),
            language=language,
        )


# What account e-mails show. Anything else allauth passes (IP address, browser) is not kept.
STORED_KEYS = ("signup_url", "email")
# Links that sign in or set a password: kept only until the e-mail is sent.
SECRET_KEYS = ("activate_url", "password_reset_url")


def secret_mail_context(context: dict[str, Any]) -> dict[str, str]:
    return {key: str(context[key]) for key in SECRET_KEYS if context.get(key)}


def mail_context(context: dict[str, Any]) -> dict[str, Any]:
    """Keep what the templates show, as JSON; the user object becomes the name to greet."""
    stored = {key: str(context[key]) for key in STORED_KEYS if context.get(key)}
    user = context.get("user")
    if user is not None:
        stored["user_display"] = user_display(user)
    timestamp = context.get("timestamp")
    if isinstance(timestamp, datetime):
        # Written in the reader's language when the mail is sent.
        stored["timestamp"] = localtime(timestamp).isoformat()
    return stored
