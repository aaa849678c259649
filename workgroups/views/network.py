"""The network overview: gaps, partners and their map, referrals, events, mediators."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ankommen.accounts.models import Role
from ankommen.accounts.permissions import access_or_404, role_required
from ankommen.csv_export import csv_response, requested_dialect
from ankommen.http import AuthenticatedHttpRequest
from ankommen.vocabulary.models import District, Theme
from refugees.models import Need
from volunteers.models import Volunteer
from workgroups import network, selectors, services
from workgroups.forms import MediatorRequestForm, PartnerNeedForm, ReferralForm
from workgroups.gaps import AVAILABLE, MEASURES, Cell, gap_matrix, matrix_rows
from workgroups.hooks import PARTNER_PAGE_LINKS
from workgroups.models import (
    EventResponse,
    MediatorRequest,
    NetworkEvent,
    Referral,
)
from workgroups.permissions import can_manage_network

coordinators_only = role_required(Role.COORDINATOR)
people_of_the_network = role_required(Role.VOLUNTEER, Role.COORDINATOR)


@coordinators_only
def gaps(request: AuthenticatedHttpRequest) -> HttpResponse:
    districts, rows = matrix_rows()
    return render(request, "workgroups/gaps.html", {"districts": districts, "rows": rows})


@coordinators_only
def gaps_csv(request: AuthenticatedHttpRequest) -> HttpResponse:
    themes, districts, cells = gap_matrix()
    rows = []
    for theme in themes:
        for district in districts:
            cell = cells[(theme.pk, district.pk)]
            rows.append(
                [theme.translations.get("en") or theme.name, district.name]
                + [cell.counts[m] for m in MEASURES]
                + [cell.demand, cell.supply, cell.status]
            )
    return csv_response(
        header=[_("Theme"), _("District"), *MEASURES, "demand", "supply", "status"],
        rows=rows,
        filename="gaps",
        dialect=requested_dialect(request),
    )


@coordinators_only
def gap_cell(request: AuthenticatedHttpRequest, theme: str, district: str) -> HttpResponse:
    """The records behind one cell of the matrix."""
    chosen_theme = access_or_404(Theme.objects.all(), slug=theme)
    chosen_district = access_or_404(District.objects.all(), slug=district)
    where = {"theme": chosen_theme, "district": chosen_district}
    records: dict[str, list[Any]] = {
        "newcomer_needs": list(
            Need.objects.filter(
                status=Need.Status.OPEN,
                theme=chosen_theme,
                newcomer__district=chosen_district,
                newcomer__closed_at__isnull=True,
            ).select_related("newcomer")
        ),
        "partner_needs": list(
            selectors.open_partner_needs().filter(**where).select_related("partner")
        ),
        "offers": list(selectors.available_offers().filter(**where).select_related("partner")),
        "tasks": list(selectors.open_tasks().filter(**where)),
        "volunteers": list(
            Volunteer.objects.filter(
                stage__in=AVAILABLE, themes=chosen_theme, district=chosen_district
            ).select_related("user")
        ),
    }
    cell = Cell(chosen_theme, chosen_district, {name: len(rows) for name, rows in records.items()})
    return render(
        request,
        "workgroups/gap_cell.html",
        {
            "theme": chosen_theme,
            "district": chosen_district,
            "cell": cell,
            "needs": records["newcomer_needs"],
            "partner_needs": records["partner_needs"],
            "offers": records["offers"],
            "tasks": records["tasks"],
            "volunteers": records["volunteers"],
        },
    )  # fmt: skip


@people_of_the_network
def partner_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    partners = list(selectors.partner_list(request.user))
    active = [partner for partner in partners if partner.is_active]
    points = selectors.map_points(active)
    return render(
        request,
        "workgroups/partner_list.html",
        {
            "partners": active,
            "retired": [partner for partner in partners if not partner.is_active],
            "points": points,
            "tiles_url": settings.MAP_TILES_URL,
            "manage": can_manage_network(request.user),
        },
    )


@people_of_the_network
@require_http_methods(["GET", "POST"])
def partner_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The partner's offers and needs; coordinators record needs here and keep the rest."""
    partner = access_or_404(selectors.partner_page(request.user), pk=pk)
    manage = can_manage_network(request.user)
    form = PartnerNeedForm(request.POST or None)
    if request.method == "POST":
        if not manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.record_partner_need(partner=partner, by=request.user, **form.cleaned_data)
            except services.WorkgroupError as error:
                messages.error(request, str(error))  # retired meanwhile: the form is gone
            else:
                messages.success(request, _("The need has been recorded."))
            return redirect("workgroups:partner_detail", pk=pk)
    offers = partner.offers.all()
    return render(
        request,
        "workgroups/partner_detail.html",
        {
            "partner": partner,
            "offers": [offer for offer in offers if offer.is_active],
            "retired_offers": [offer for offer in offers if not offer.is_active] if manage else [],
            "needs": selectors.needs_of(partner, is_open=True),
            "closed_needs": selectors.needs_of(partner, is_open=False)[:10] if manage else [],
            "form": form if manage and partner.is_active else None,
            "manage": manage,
            "page_links": [
                link
                for links in PARTNER_PAGE_LINKS.providers()
                for link in links(request.user, partner)
            ],
        },
    )


@coordinators_only
@require_http_methods(["GET", "POST"])
def referrals(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ReferralForm(
        request.POST or None,
        initial={"newcomer": request.GET.get("newcomer")},
        search=request.GET.get("find_newcomer", ""),
    )
    if request.method == "POST" and form.is_valid():
        try:
            network.refer_newcomer(by=request.user, **form.cleaned_data)
        except services.WorkgroupError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The referral has been recorded."))
            return redirect("workgroups:referrals")
    return render(
        request,
        "workgroups/referrals.html",
        {
            "form": form,
            "referrals": selectors.referrals_for_coordinators()[:100],
            "outcomes": Referral.Outcome.choices,
        },
    )


@coordinators_only
@require_POST
def referral_outcome(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    referral = access_or_404(Referral.objects.all(), pk=pk)
    try:
        network.set_referral_outcome(
            referral=referral, outcome=request.POST.get("outcome", ""), by=request.user
        )
    except services.WorkgroupError as error:
        messages.error(request, str(error))
    return redirect("workgroups:referrals")


@coordinators_only
@require_http_methods(["GET", "POST"])
def referral_withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The newcomer withdrew consent to the hand-over: GET says what follows, POST does it."""
    referral = access_or_404(selectors.referrals_for_coordinators(), pk=pk)
    if request.method == "POST":
        network.withdraw_referral_consent(referral=referral, by=request.user)
        messages.success(
            request,
            _("The consent is withdrawn: the partner no longer sees this referral."),
        )
        return redirect("workgroups:referrals")
    return render(request, "workgroups/referral_withdraw.html", {"referral": referral})


@people_of_the_network
def events(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Events to come, each with the person's own reply; cancelled ones say so."""
    answers = dict(
        EventResponse.objects.filter(user=request.user).values_list("event_id", "answer")
    )
    labels = dict(EventResponse.Answer.choices)
    rows = [
        (event, labels.get(answers.get(event.pk, ""), "")) for event in selectors.upcoming_events()
    ]
    return render(
        request,
        "workgroups/events.html",
        {"rows": rows, "manage": can_manage_network(request.user)},
    )


@people_of_the_network
@require_POST
def event_reply(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    event = access_or_404(NetworkEvent.objects.all(), pk=pk)
    try:
        services.reply_to_event(
            event=event, user=request.user, answer=request.POST.get("answer", "")
        )
    except services.WorkgroupError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Thank you for your reply."))
    return redirect("workgroups:events")


@people_of_the_network
@require_http_methods(["GET", "POST"])
def mediator_requests(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Coordinators and volunteers ask for mediators; mediators see what they could take."""
    form = MediatorRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _request, offered = network.request_mediator(by=request.user, **form.cleaned_data)
        except services.WorkgroupError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("The request has been offered to %(count)d mediators.") % {"count": offered},
            )
            return redirect("workgroups:mediator_requests")
    open_requests = MediatorRequest.objects.filter(
        state=MediatorRequest.State.OPEN, starts_at__gt=timezone.now()
    ).select_related("language", "other_language")
    for_me = [r for r in open_requests if request.user in network.mediators_for(r)]
    mine = MediatorRequest.objects.filter(requested_by=request.user).select_related(
        "language", "other_language", "mediator"
    )
    return render(
        request,
        "workgroups/mediator_requests.html",
        {"form": form, "for_me": for_me, "mine": mine},
    )


@role_required(Role.VOLUNTEER)
@require_POST
def mediator_accept(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    mediator_request = access_or_404(MediatorRequest.objects.all(), pk=pk)
    try:
        network.accept_mediation(request=mediator_request, mediator=request.user)
    except services.WorkgroupError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Thank you! You and the requester have the details by e-mail."))
    return redirect("workgroups:mediator_requests")
