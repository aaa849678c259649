"""Partner staff state what their organisation needs, change it, mark it met and reopen it."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ankommen.accounts.permissions import access_or_404
from ankommen.http import AuthenticatedHttpRequest
from partners.permissions import partner_staff_only, partners_acted_for
from partners.selectors.desk import needs_kept_by
from partners.services import desk as services
from partners.views.offers import REFUSALS, state_change
from partners.views.profile import to_desk
from workgroups.forms import PartnerNeedForm


@partner_staff_only
@require_http_methods(["GET", "POST"])
def need_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partner = access_or_404(partners_acted_for(request.user), pk=pk)
    form = PartnerNeedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.state_need(partner=partner, by=request.user, **form.cleaned_data)
        except REFUSALS as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("The need has been recorded: coordinators see it in the overview.")
            )
            return to_desk(pk)
    return render(request, "partners/need_form.html", {"form": form, "partner": partner})


@partner_staff_only
@require_http_methods(["GET", "POST"])
def need_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    need = access_or_404(needs_kept_by(request.user), pk=pk)
    partner = need.partner
    form = PartnerNeedForm(request.POST or None, instance=need)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_need(need=need, by=request.user, **form.cleaned_data)
        except REFUSALS as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The need has been saved."))
            return to_desk(partner.pk)
    return render(
        request, "partners/need_form.html", {"form": form, "partner": partner, "need": need}
    )


@partner_staff_only
@require_POST
def need_close(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    need = access_or_404(needs_kept_by(request.user), pk=pk)
    return state_change(
        request,
        lambda: services.close_need(need=need, by=request.user),
        _("The need is marked as met: it no longer counts in the overview."),
        need.partner_id,
    )


@partner_staff_only
@require_POST
def need_reopen(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    need = access_or_404(needs_kept_by(request.user), pk=pk)
    return state_change(
        request,
        lambda: services.reopen_need(need=need, by=request.user),
        _("The need is open again."),
        need.partner_id,
    )
