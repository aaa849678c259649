"""Export and erasure for accounts that only act for partner organisations. Each needs a fresh
password first, like every export and erasure of the portal."""

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ankommen.accounts.models import Role
from ankommen.accounts.permissions import access_or_404, role_required
from ankommen.http import AuthenticatedHttpRequest
from ankommen.privacy.views import EraseForm, download
from partners.accounts import erase_partner_account, export_partner_account, partner_accounts

coordinators_only = role_required(Role.COORDINATOR)


@role_required(Role.PARTNER)
@reauthentication_required
def my_data(request: AuthenticatedHttpRequest) -> HttpResponse:
    return download(export_partner_account(request.user, by=request.user), "my-data")


@coordinators_only
@reauthentication_required
def account_export(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    account = access_or_404(partner_accounts(), pk=pk)
    return download(export_partner_account(account, by=request.user), f"partner-staff-{pk}")


@coordinators_only
@reauthentication_required
@require_http_methods(["GET", "POST"])
def account_erase(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    account = access_or_404(partner_accounts(), pk=pk)
    form = EraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        erase_partner_account(account, by=request.user)
        messages.success(request, _("The personal data have been erased. The figures stay."))
        return redirect("workgroups:partner_list")
    return render(request, "partners/account_erase.html", {"form": form, "account": account})
