"""Coordinators invite people of partner organisations and end their access; the invited
person accepts through the link in their invitation."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import SetPasswordForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ankommen.accounts.models import Role
from ankommen.accounts.permissions import access_or_404, role_required
from ankommen.http import AuthenticatedHttpRequest
from partners import selectors, services
from partners.forms import InvitationForm
from partners.models import PartnerStaff
from workgroups.models import Partner

coordinators_only = role_required(Role.COORDINATOR)
ALLAUTH_BACKEND = "allauth.account.auth_backends.AuthenticationBackend"


@coordinators_only
@require_http_methods(["GET", "POST"])
def staff_list(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partner = access_or_404(Partner.objects.all(), pk=pk)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            staff = services.invite(by=request.user, partner=partner, **form.cleaned_data)
        except services.PartnerStaffError as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(
                request,
                _("%(name)s has been invited by e-mail to act for %(partner)s.")
                % {"name": staff.user, "partner": partner},
            )
            return redirect("partners:staff_list", pk=partner.pk)
    return render(
        request,
        "partners/staff_list.html",
        {"partner": partner, "form": form, "people": selectors.staff_of(partner)},
    )


def _staff_action(request: AuthenticatedHttpRequest, pk: int) -> PartnerStaff:
    return access_or_404(PartnerStaff.objects.select_related("partner", "user"), pk=pk)


@coordinators_only
@require_POST
def staff_end(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    staff = _staff_action(request, pk)
    services.end_access(by=request.user, staff=staff)
    messages.success(
        request,
        _("%(name)s no longer acts for %(partner)s, from their next click on.")
        % {"name": staff.user, "partner": staff.partner},
    )
    return redirect("partners:staff_list", pk=staff.partner_id)


@coordinators_only
@require_POST
def staff_resend(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    staff = _staff_action(request, pk)
    try:
        services.resend(by=request.user, staff=staff)
    except services.PartnerStaffError as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request, _("A new invitation has been sent to %(email)s.") % {"email": staff.user.email}
        )
    return redirect("partners:staff_list", pk=staff.partner_id)


@login_not_required
@require_http_methods(["GET", "POST"])
def welcome(request: HttpRequest, token: str) -> HttpResponse:
    """The invitation's link. An account made by the invitation chooses its password here; an
    account that has one (a volunteer) signs in first and then accepts."""
    try:
        staff = services.invitation_for(token)
    except services.PartnerStaffError as refusal:
        return render(
            request, "partners/welcome_invalid.html", {"reason": str(refusal)}, status=400
        )
    account = staff.user
    sets_password = not account.has_usable_password()
    signed_in_as_invited = request.user.is_authenticated and request.user.pk == account.pk
    if not sets_password and not signed_in_as_invited:
        return render(
            request,
            "partners/welcome_sign_in.html",
            {"staff": staff, "signed_in_elsewhere": request.user.is_authenticated},
        )
    form = SetPasswordForm(account, request.POST or None) if sets_password else None
    if request.method == "POST" and (form is None or form.is_valid()):
        password = form.cleaned_data["new_password1"] if form is not None else None
        try:
            services.accept(staff=staff, user=account, password=password)
        except services.PartnerStaffError as refusal:
            return render(
                request, "partners/welcome_invalid.html", {"reason": str(refusal)}, status=400
            )
        if not signed_in_as_invited:
            login(request, account, backend=ALLAUTH_BACKEND)
        messages.success(
            request,
            _("Welcome! You now act for %(partner)s.") % {"partner": staff.partner},
        )
        return redirect("partners:home")
    return render(request, "partners/welcome.html", {"staff": staff, "form": form})
