"""Coordinators record newcomers, their needs and consents, and hand out access cards."""

import segno
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ankommen.accounts.models import Role
from ankommen.accounts.permissions import access_or_404, role_required
from ankommen.audit import selectors as audit_log
from ankommen.audit.reads import filters_on_sensitive_fields
from ankommen.audit.services import record_reads
from ankommen.fragments import fragment_context
from ankommen.http import AuthenticatedHttpRequest
from ankommen.person_picker import picker_response
from ankommen.vocabulary.forms import language_formset
from refugees import selectors, services
from refugees.filters import NewcomerFilter
from refugees.forms import (
    ConsentForm,
    HouseholdFormSet,
    NeedForm,
    NewcomerConsentFields,
    NewcomerForm,
)
from refugees.hooks import actions_for
from refugees.models import AccessLink, Need, Newcomer, NewcomerLanguage
from refugees.picker import NEWCOMERS

coordinators_only = role_required(Role.COORDINATOR)
PAGE_SIZE = 50


def _access_newcomer(request: AuthenticatedHttpRequest, pk: int) -> Newcomer:
    return access_or_404(selectors.newcomers_visible_to(request.user), pk=pk)


@coordinators_only
def newcomer_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    filterset = NewcomerFilter(request.GET, queryset=selectors.newcomer_list())
    newcomers = filterset.qs if filterset.is_valid() else selectors.newcomer_list().none()
    page = Paginator(newcomers, PAGE_SIZE).get_page(request.GET.get("page"))
    if filterset.is_valid() and filters_on_sensitive_fields(
        Newcomer, filterset.form.cleaned_data.items()
    ):
        record_reads(by=request.user, people=page.object_list, via=request.resolver_match.view_name)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "refugees/newcomer_list.html",
        {"filter": filterset, "page": page, "query": query.urlencode(), **fragment_context()},
    )


@coordinators_only
def newcomer_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form = NewcomerForm(data)
    consent = NewcomerConsentFields(data)
    languages = language_formset(NewcomerLanguage.objects.none(), data)
    household = HouseholdFormSet(data, prefix="members")
    if data and all(f.is_valid() for f in (form, consent, languages, household)):
        newcomer = services.register_newcomer(
            newcomer=form.save(commit=False),
            by=request.user,
            consent_language=consent.cleaned_data["consent_language"],
            consent_purposes=consent.cleaned_data["consent_purposes"],
            consent_on=consent.cleaned_data["consent_on"],
            languages=languages.skills(),
            members=household.save(commit=False),
        )
        messages.success(request, _("The newcomer has been recorded."))
        return redirect(newcomer)
    return render(
        request,
        "refugees/newcomer_form.html",
        {"form": form, "consent": consent, "languages": languages, "household": household},
    )


@coordinators_only
def newcomer_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    newcomer = _access_newcomer(request, pk)
    data = request.POST if request.method == "POST" else None
    form = NewcomerForm(data, instance=newcomer)
    languages = language_formset(newcomer.languages, data)
    household = HouseholdFormSet(data, instance=newcomer, prefix="members")
    if data and all(f.is_valid() for f in (form, languages, household)):
        services.update_newcomer(
            newcomer=form.save(commit=False),
            by=request.user,
            languages=languages.skills(),
            members=household.save(commit=False),
            removed_members=household.deleted_objects,
        )
        messages.success(request, _("The record has been saved."))
        return redirect(newcomer)
    # The form shows every field of the record, as the record's own page does.
    record_reads(by=request.user, people=[newcomer], via=request.resolver_match.view_name)
    return render(
        request,
        "refugees/newcomer_form.html",
        {"form": form, "languages": languages, "household": household, "newcomer": newcomer},
    )


@coordinators_only
@never_cache
def newcomer_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    newcomer = access_or_404(selectors.newcomer_detail(request.user), pk=pk)
    record_reads(by=request.user, people=[newcomer], via=request.resolver_match.view_name)
    return render(
        request,
        "refugees/newcomer_detail.html",
        {
            "newcomer": newcomer,
            "history": audit_log.history_of(newcomer),
            "audit_log": audit_log.log_for(newcomer),
            "need_form": NeedForm(),
            "consent_form": ConsentForm(initial={"language": newcomer.preferred_language}),
            "active_links": [link for link in newcomer.access_links.all() if not link.revoked_at],
            "actions": actions_for(newcomer),
        },
    )


@coordinators_only
@require_GET
@never_cache
def newcomer_search(request: AuthenticatedHttpRequest) -> JsonResponse:
    """The person picker's search as one types: open records by name or record number."""
    return picker_response(NEWCOMERS, request.GET.get("q", ""))


@coordinators_only
@require_POST
def need_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    newcomer = _access_newcomer(request, pk)
    form = NeedForm(request.POST)
    if form.is_valid():
        services.add_need(
            newcomer=newcomer,
            by=request.user,
            source=Need.Source.COORDINATOR,
            **form.cleaned_data,
        )
        messages.success(request, _("The need has been recorded."))
    else:
        messages.error(request, _("Please choose a theme and an urgency."))
    return redirect(newcomer)


@coordinators_only
@require_POST
def need_status(request: AuthenticatedHttpRequest, pk: int, need_pk: int) -> HttpResponse:
    newcomer = _access_newcomer(request, pk)
    need = access_or_404(newcomer.needs.all(), pk=need_pk)
    status = request.POST.get("status", "")
    if status in Need.Status.values:
        services.set_need_status(need=need, status=status)
    else:
        messages.error(request, _("Please choose a valid status."))
    return redirect(newcomer)


@coordinators_only
@require_POST
def consent_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    newcomer = _access_newcomer(request, pk)
    form = ConsentForm(request.POST)
    if form.is_valid():
        services.add_consent(newcomer=newcomer, by=request.user, **form.cleaned_data)
        messages.success(request, _("The consent has been recorded."))
    else:
        messages.error(request, _("Please fill in purpose, language and date."))
    return redirect(newcomer)


@coordinators_only
@require_http_methods(["GET", "POST"])
@never_cache
def access_card(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """GET asks first, saying which cards stop; POST issues a new link and shows its card
    once: the token exists nowhere else afterwards.

    The page around the card is in the coordinator's language; the card in the newcomer's,
    with the instructions in German too (the template switches language for each part)."""
    newcomer = _access_newcomer(request, pk)
    if request.method == "GET":
        return render(
            request,
            "refugees/access_card_confirm.html",
            {"newcomer": newcomer, "working_cards": selectors.working_cards(newcomer)},
        )
    issued = services.issue_access_link(newcomer=newcomer, by=request.user)
    qr_svg = segno.make(issued.url, error="m").svg_inline(scale=5, border=2)
    card = render(
        request,
        "refugees/access_card.html",
        {"newcomer": newcomer, "issued": issued, "qr_svg": qr_svg},
    )
    card["Referrer-Policy"] = "no-referrer"
    return card


@coordinators_only
@require_POST
def access_revoke(request: AuthenticatedHttpRequest, pk: int, link_pk: int) -> HttpResponse:
    newcomer = _access_newcomer(request, pk)
    link = access_or_404(AccessLink.objects.filter(newcomer=newcomer), pk=link_pk)
    services.revoke_access_link(link=link)
    messages.success(request, _("The link no longer works."))
    return redirect(newcomer)
