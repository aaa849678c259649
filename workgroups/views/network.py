"""The network overview: gaps, partners and their map, referrals, events, mediators."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ankommen.accounts.models import Role
from ankommen.accounts.permissions import access_or_404, has_role, role_required
from ankommen.csv_export import csv_response, requested_dialect
from ankommen.http import AuthenticatedHttpRequest
from ankommen.vocabulary.models import District, Theme
from refugees.models import Need
from volunteers.models import Volunteer
from workgroups import network, services
from workgroups.forms import MediatorRequestForm, PartnerNeedForm, ReferralForm
from workgroups.gaps import AVAILABLE, MEASURES, gap_matrix
from workgroups.models import (
    EventResponse,
    MediatorRequest,
    NetworkEvent,
    Offer,
    Partner,
    PartnerNeed,
    Referral,
    Task,
)

coordinators_only = role_required(Role.COORDINATOR)
people_of_the_network = role_required(Role.VOLUNTEER, Role.COORDINATOR)


@coordinators_only
def gaps(request: AuthenticatedHttpRequest) -> HttpResponse:
    themes, districts, cells = gap_matrix()
    rows = [(theme, [cells[(theme.pk, d.pk)] for d in districts]) for theme in themes]
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
    theme = access_or_404(Theme.objects.all(), slug=theme)
    district = access_or_404(District.objects.all(), slug=district)
    return render(
        request,
        "workgroups/gap_cell.html",
        {
            "theme": theme,
            "district": district,
            "needs": Need.objects.filter(
                status=Need.Status.OPEN, theme=theme, newcomer__district=district,
                newcomer__closed_at__isnull=True,
            ).select_related("newcomer"),
            "partner_needs": PartnerNeed.objects.filter(
                is_open=True, theme=theme, district=district
            ).select_related("partner"),
            "offers": Offer.objects.filter(
                is_active=True, theme=theme, district=district
            ).select_related("partner"),
            "tasks": Task.objects.filter(is_open=True, theme=theme, district=district),
            "volunteers": Volunteer.objects.filter(
                stage__in=AVAILABLE, themes=theme, district=district
            ).select_related("user"),
        },
    )  # fmt: skip


@people_of_the_network
def partner_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    partners = Partner.objects.prefetch_related("districts", "themes", "offers__theme")
    points = [
        {
            "name": partner.name,
            "lat": float(partner.latitude),
            "lng": float(partner.longitude),
            "offers": [offer.title for offer in partner.offers.all() if offer.is_active],
        }
        for partner in partners
        if partner.latitude is not None
    ]
    return render(
        request,
        "workgroups/partner_list.html",
        {"partners": partners, "points": points, "tiles_url": settings.MAP_TILES_URL},
    )


@people_of_the_network
@require_http_methods(["GET", "POST"])
def partner_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partner = access_or_404(
        Partner.objects.prefetch_related(
            "districts", "themes", "offers__theme", "offers__languages"
        ),
        pk=pk,
    )
    manage = has_role(request.user, Role.COORDINATOR)
    form = PartnerNeedForm(request.POST or None)
    if request.method == "POST":
        if not manage:
            raise PermissionDenied
        if form.is_valid():
            PartnerNeed.objects.create(
                partner=partner, recorded_by=request.user, **form.cleaned_data
            )
            messages.success(request, _("The need has been recorded."))
            return redirect("workgroups:partner_detail", pk=pk)
    return render(
        request,
        "workgroups/partner_detail.html",
        {
            "partner": partner,
            "needs": partner.needs.filter(is_open=True).select_related("theme", "district"),
            "form": form if manage else None,
        },
    )


@coordinators_only
@require_http_methods(["GET", "POST"])
def referrals(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ReferralForm(request.POST or None, initial={"newcomer": request.GET.get("newcomer")})
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
            "referrals": Referral.objects.select_related("newcomer", "offer__partner")[:100],
            "outcomes": Referral.Outcome.choices,
        },
    )


@coordinators_only
@require_POST
def referral_outcome(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    referral = access_or_404(Referral.objects.all(), pk=pk)
    try:
        network.set_referral_outcome(referral=referral, outcome=request.POST.get("outcome", ""))
    except services.WorkgroupError as error:
        messages.error(request, str(error))
    return redirect("workgroups:referrals")


@people_of_the_network
def events(request: AuthenticatedHttpRequest) -> HttpResponse:
    upcoming = NetworkEvent.objects.filter(starts_at__gte=timezone.now())
    answers = dict(
        EventResponse.objects.filter(user=request.user).values_list("event_id", "answer")
    )
    return render(request, "workgroups/events.html", {"events": upcoming, "answers": answers})


@people_of_the_network
@require_POST
def event_reply(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    event = access_or_404(NetworkEvent.objects.all(), pk=pk)
    answer = request.POST.get("answer", "")
    if answer not in EventResponse.Answer.values:
        messages.error(request, _("Please answer yes or no."))
        return redirect("workgroups:events")
    try:
        network.reply_to_event(event=event, user=request.user, answer=answer)
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
