from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import translate_url
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from ankommen.accounts.forms import AccountSettingsForm, SignInLinkRequestForm
from ankommen.accounts.services import REFERRAL_SESSION_KEY, inviter_for_code
from ankommen.accounts.sign_in_links import (
    LINK_LIFETIME,
    SignInLinkError,
    SignInLinkRequestsError,
    account_for_sign_in_link,
    redeem_sign_in_link,
    request_sign_in_link,
)
from ankommen.accounts.sign_in_throttle import SignInThrottledError, network_of
from ankommen.http import AuthenticatedHttpRequest


def account_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Everyone signed in edits their own name and language, and nobody else's."""
    form = AccountSettingsForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        with translation.override(user.preferred_language):
            messages.success(request, _("Your settings have been saved."))
        target = translate_url(request.path, user.preferred_language)
        response = redirect(target)
        response.set_cookie(
            "django_language", user.preferred_language, samesite="Lax", httponly=True
        )
        return response
    return render(request, "accounts/account_settings.html", {"form": form})


@login_not_required
def invite(request: HttpRequest, code: str) -> HttpResponse:
    """An invite link: remember who invited, then go to sign-up (an unknown code is ignored)."""
    inviter = inviter_for_code(code)
    if inviter is not None and not request.user.is_authenticated:
        request.session[REFERRAL_SESSION_KEY] = code
        messages.info(
            request,
            _("%(name)s invited you. Welcome!") % {"name": inviter.display_name},
        )
    return redirect("account_signup")


@login_not_required
@require_http_methods(["GET", "POST"])
def sign_in_link_request(request: HttpRequest) -> HttpResponse:
    """The same answer whether the address has an account or not."""
    form = SignInLinkRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            request_sign_in_link(
                email=form.cleaned_data["email"],
                network=network_of(get_adapter(request).get_client_ip(request)),
            )
        except (SignInLinkRequestsError, SignInThrottledError) as refused:
            messages.error(request, str(refused))
            return render(request, "accounts/sign_in_link_request.html", {"form": form}, status=429)
        minutes = LINK_LIFETIME // 60
        messages.success(
            request,
            ngettext(
                "If this address belongs to an account that signs in with a password, we have "
                "sent it a link. It works once, for %(minutes)s minute.",
                "If this address belongs to an account that signs in with a password, we have "
                "sent it a link. It works once, for %(minutes)s minutes.",
                minutes,
            )
            % {"minutes": minutes},
        )
        return redirect("account_login")
    return render(request, "accounts/sign_in_link_request.html", {"form": form})


@login_not_required
@require_http_methods(["GET", "POST"])
def sign_in_link(request: HttpRequest, token: str) -> HttpResponse:
    """GET only shows a button: mail scanners open links, and must not use them up."""
    try:
        if request.method == "POST":
            redeem_sign_in_link(token=token, session=request.session)
            messages.success(
                request,
                _("This browser may now try to sign in again. Please sign in with your password."),
            )
            return redirect("account_login")
        account = account_for_sign_in_link(token)
    except SignInLinkError as error:
        return render(
            request, "accounts/sign_in_link_invalid.html", {"error": str(error)}, status=400
        )
    return render(request, "accounts/sign_in_link.html", {"email": account.email})
