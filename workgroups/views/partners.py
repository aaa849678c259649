"""Coordinators keep the network up to date: partner organisations, their offers and needs."""

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ankommen.accounts.models import Role
from ankommen.accounts.permissions import access_or_404, role_required
from ankommen.http import AuthenticatedHttpRequest
from ankommen.translated_content import version_fields
from ankommen.vocabulary.models import District, Theme
from workgroups import selectors, services
from workgroups.forms import OfferForm, PartnerForm, PartnerNeedForm
from workgroups.models import Offer, Partner, PartnerNeed

coordinators_only = role_required(Role.COORDINATOR)

PARTNER_FIELDS = [
    "name",
    "kind",
    "contact_name",
    "contact_email",
    "contact_phone",
    "address",
    "latitude",
    "longitude",
]
OFFER_FIELDS = [
    "title",
    "theme",
    "district",
    "schedule",
    "audience",
    "is_free",
    *version_fields("title", "schedule"),
]


def _to_partner_page(partner_pk: int) -> HttpResponse:
    return redirect("workgroups:partner_detail", pk=partner_pk)


@coordinators_only
@require_http_methods(["GET", "POST"])
def partner_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = PartnerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            partner = services.register_partner(
                by=request.user,
                districts=data["districts"],
                themes=data["themes"],
                **{name: data[name] for name in PARTNER_FIELDS},
            )
        except services.WorkgroupError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The partner organisation has been recorded."))
            return _to_partner_page(partner.pk)
    return render(request, "workgroups/partner_form.html", {"form": form})


@coordinators_only
@require_http_methods(["GET", "POST"])
def partner_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partner = access_or_404(Partner.objects.all(), pk=pk)
    name = partner.name  # validating the form writes the edit onto the instance
    form = PartnerForm(request.POST or None, instance=partner)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_partner(
                partner=partner,
                by=request.user,
                districts=data["districts"],
                themes=data["themes"],
                **{name: data[name] for name in PARTNER_FIELDS},
            )
        except services.WorkgroupError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The partner organisation has been saved."))
            return _to_partner_page(pk)
    return render(
        request, "workgroups/partner_form.html", {"form": form, "partner": partner, "name": name}
    )


@coordinators_only
@require_http_methods(["GET", "POST"])
def partner_retire(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """First a page that says what retiring does; the button on it retires."""
    partner = access_or_404(Partner.objects.all(), pk=pk)
    if request.method == "POST":
        try:
            services.retire_partner(partner=partner, by=request.user)
        except services.WorkgroupError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The partner organisation has been retired."))
        return _to_partner_page(pk)
    return render(
        request,
        "workgroups/partner_retire.html",
        {
            "partner": partner,
            "offers": selectors.available_offers().filter(partner=partner).count(),
            "needs": selectors.open_partner_needs().filter(partner=partner).count(),
            "referrals": selectors.open_referrals_to(partner).count(),
        },
    )


@coordinators_only
@require_POST
def partner_reactivate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partner = access_or_404(Partner.objects.all(), pk=pk)
    return _state_change(
        request,
        lambda: services.reactivate_partner(partner=partner, by=request.user),
        _("The partner organisation is active again, with its offers and needs."),
        pk,
    )


def _state_change(
    request: AuthenticatedHttpRequest, change: Callable[[], object], done: str, partner_pk: int
) -> HttpResponse:
    """A one-click change of a partner's, offer's or need's state: the service's refusal, or
    `done`, as the message; then back to the partner's page."""
    try:
        change()
    except services.WorkgroupError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return _to_partner_page(partner_pk)


def _save_offer(request: AuthenticatedHttpRequest, form: OfferForm, partner: Partner) -> bool:
    data = form.cleaned_data
    try:
        services.add_offer(
            partner=partner,
            by=request.user,
            languages=data["languages"],
            **{name: data[name] for name in OFFER_FIELDS},
        )
    except services.WorkgroupError as error:
        form.add_error(None, str(error))
        return False
    messages.success(request, _("The offer has been added."))
    return True


@coordinators_only
@require_http_methods(["GET", "POST"])
def offer_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """An offer of the partner whose page the coordinator comes from."""
    partner = access_or_404(Partner.objects.all(), pk=pk)
    form = OfferForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _save_offer(request, form, partner):
        return _to_partner_page(pk)
    return render(request, "workgroups/offer_form.html", {"form": form, "partner": partner})


@coordinators_only
@require_http_methods(["GET", "POST"])
def gap_offer_create(request: AuthenticatedHttpRequest, theme: str, district: str) -> HttpResponse:
    """From a gap in the matrix: theme and district filled in, the partner chosen here; back
    to the matrix afterwards, where the cell shows the gap closed."""
    gap_theme = access_or_404(Theme.objects.all(), slug=theme)
    gap_district = access_or_404(District.objects.all(), slug=district)
    form = OfferForm(
        request.POST or None,
        choose_partner=True,
        initial={"theme": gap_theme, "district": gap_district},
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and _save_offer(request, form, form.cleaned_data["partner"])
    ):
        chosen = form.cleaned_data
        cell = f"cell-{chosen['theme'].slug}-{chosen['district'].slug}"
        return redirect(reverse("workgroups:gaps") + "#" + cell)
    return render(
        request,
        "workgroups/offer_form.html",
        {"form": form, "theme": gap_theme, "district": gap_district},
    )


@coordinators_only
@require_http_methods(["GET", "POST"])
def offer_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    offer = access_or_404(Offer.objects.select_related("partner"), pk=pk)
    partner = offer.partner
    form = OfferForm(request.POST or None, instance=offer)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.update_offer(
            offer=offer,
            by=request.user,
            languages=data["languages"],
            **{name: data[name] for name in OFFER_FIELDS},
        )
        messages.success(request, _("The offer has been saved."))
        return _to_partner_page(partner.pk)
    return render(
        request, "workgroups/offer_form.html", {"form": form, "partner": partner, "offer": offer}
    )


@coordinators_only
@require_POST
def offer_retire(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    offer = access_or_404(Offer.objects.all(), pk=pk)
    return _state_change(
        request,
        lambda: services.retire_offer(offer=offer, by=request.user),
        _(
            "The offer has been retired: it no longer counts in the gap matrix and takes "
            "no new referrals. Referrals already made stay as they are."
        ),
        offer.partner_id,
    )


@coordinators_only
@require_POST
def offer_reactivate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    offer = access_or_404(Offer.objects.all(), pk=pk)
    return _state_change(
        request,
        lambda: services.reactivate_offer(offer=offer, by=request.user),
        _("The offer is active again."),
        offer.partner_id,
    )


@coordinators_only
@require_http_methods(["GET", "POST"])
def need_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    need = access_or_404(PartnerNeed.objects.select_related("partner"), pk=pk)
    partner = need.partner
    form = PartnerNeedForm(request.POST or None, instance=need)
    if request.method == "POST" and form.is_valid():
        services.update_partner_need(need=need, by=request.user, **form.cleaned_data)
        messages.success(request, _("The need has been saved."))
        return _to_partner_page(partner.pk)
    return render(request, "workgroups/need_form.html", {"form": form, "partner": partner})


@coordinators_only
@require_POST
def need_close(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    need = access_or_404(PartnerNeed.objects.all(), pk=pk)
    return _state_change(
        request,
        lambda: services.close_partner_need(need=need, by=request.user),
        _("The need has been closed: it no longer counts in the gap matrix."),
        need.partner_id,
    )


@coordinators_only
@require_POST
def need_reopen(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    need = access_or_404(PartnerNeed.objects.all(), pk=pk)
    return _state_change(
        request,
        lambda: services.reopen_partner_need(need=need, by=request.user),
        _("The need is open again."),
        need.partner_id,
    )
