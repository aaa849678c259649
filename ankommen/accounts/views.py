from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import translate_url
from django.utils import translation
from django.utils.translation import gettext as _

from ankommen.accounts.forms import AccountSettingsForm
from ankommen.accounts.services import REFERRAL_SESSION_KEY, inviter_for_code


def account_settings(request: HttpRequest) -> HttpResponse:
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
