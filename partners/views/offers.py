"""Partner staff publish their organisation's offers, change, retire and reactivate them, with
the same form (and versions in other languages) as coordinators."""

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ankommen.accounts.permissions import access_or_404
from ankommen.http import AuthenticatedHttpRequest
from ankommen.translated_content import version_fields
from partners.permissions import partner_staff_only, partners_acted_for
from partners.selectors.desk import offers_kept_by
from partners.services import PartnerStaffError
from partners.services import desk as services
from partners.views.profile import to_desk
from workgroups.forms import OfferForm
from workgroups.services import WorkgroupError

# The coordinators' offer form's fields (workgroups.views.partners.OFFER_FIELDS), languages aside.
OFFER_FIELDS = [
    "title",
    "theme",
    "district",
    "schedule",
    "audience",
    "is_free",
    *version_fields("title", "schedule"),
]
REFUSALS = (PartnerStaffError, WorkgroupError)


@partner_staff_only
@require_http_methods(["GET", "POST"])
def offer_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partner = access_or_404(partners_acted_for(request.user), pk=pk)
    form = OfferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.publish_offer(
                partner=partner,
                by=request.user,
                languages=data["languages"],
                **{name: data[name] for name in OFFER_FIELDS},
            )
        except REFUSALS as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The offer has been published."))
            return to_desk(pk)
    return render(request, "partners/offer_form.html", {"form": form, "partner": partner})


@partner_staff_only
@require_http_methods(["GET", "POST"])
def offer_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    offer = access_or_404(offers_kept_by(request.user), pk=pk)
    partner = offer.partner
    form = OfferForm(request.POST or None, instance=offer)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_offer(
                offer=offer,
                by=request.user,
                languages=data["languages"],
                **{name: data[name] for name in OFFER_FIELDS},
            )
        except REFUSALS as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The offer has been saved."))
            return to_desk(partner.pk)
    return render(
        request, "partners/offer_form.html", {"form": form, "partner": partner, "offer": offer}
    )


def state_change(
    request: AuthenticatedHttpRequest, change: Callable[[], object], done: str, partner_pk: int
) -> HttpResponse:
    """A one-click change of an offer's or need's state: the refusal or `done` as the message,
    then back to the desk."""
    try:
        change()
    except REFUSALS as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return to_desk(partner_pk)


@partner_staff_only
@require_POST
def offer_retire(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    offer = access_or_404(offers_kept_by(request.user), pk=pk)
    return state_change(
        request,
        lambda: services.retire_offer(offer=offer, by=request.user),
        _("The offer has been retired: it no longer counts in the network's overview."),
        offer.partner_id,
    )


@partner_staff_only
@require_POST
def offer_reactivate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    offer = access_or_404(offers_kept_by(request.user), pk=pk)
    return state_change(
        request,
        lambda: services.reactivate_offer(offer=offer, by=request.user),
        _("The offer is active again."),
        offer.partner_id,
    )
