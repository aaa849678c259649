"""The partner's inbox: referrals to the offers of the organisations a person acts for, one
referral's page (each opening audited as a read), and the partner's answers."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ankommen.accounts.permissions import access_or_404
from ankommen.audit.services import record_reads
from ankommen.http import AuthenticatedHttpRequest
from partners import selectors
from partners.forms import ReferralAcceptForm, ReferralDeclineForm, ReferralReportForm
from partners.permissions import partner_staff_only
from workgroups import network
from workgroups.models import Referral
from workgroups.services import WorkgroupError

PER_PAGE = 50


@partner_staff_only
@require_GET
def referral_inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    state = state if state in Referral.Outcome.values else ""
    page = Paginator(selectors.inbox_for(request.user, outcome=state), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "partners/referrals.html",
        {
            "page": page,
            "referrals": [selectors.for_partner(referral) for referral in page],
            "states": Referral.Outcome.choices,
            "state": state,
        },
    )


def _detail(
    request: AuthenticatedHttpRequest, referral: Referral, refusal: str = "", **bound: forms.Form
) -> HttpResponse:
    """The referral's page; every time it is shown, the newcomer's record counts as read."""
    record_reads(by=request.user, people=[referral.newcomer], via="partners:referral_detail")
    forms_: dict[str, Any] = {
        "accept_form": ReferralAcceptForm(),
        "decline_form": ReferralDeclineForm(),
        "report_form": ReferralReportForm(),
        **bound,
    }
    # A refusal of the service (say, the referral changed meanwhile) shows above the forms,
    # also when the state no longer offers the form that was sent; what was typed stays.
    return render(
        request,
        "partners/referral_detail.html",
        {"referral": selectors.for_partner(referral), "refusal": refusal, **forms_},
    )


def _visible(request: AuthenticatedHttpRequest, pk: int) -> Referral:
    return access_or_404(selectors.referrals_visible_to(request.user), pk=pk)


@partner_staff_only
@require_GET
def referral_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _visible(request, pk))


def _answered(request: AuthenticatedHttpRequest, pk: int, done: str) -> HttpResponse:
    messages.success(request, done)
    return redirect("partners:referral_detail", pk=pk)


def _answer(
    request: AuthenticatedHttpRequest,
    pk: int,
    form_class: type[forms.Form],
    form_name: str,
    answer: Callable[..., object],
    done: str,
) -> HttpResponse:
    """The partner's three answers: a form, the workgroups service, the page again with the
    form as typed when something is refused."""
    referral = _visible(request, pk)
    form = form_class(request.POST)
    typed: dict[str, forms.Form] = {form_name: form}
    if not form.is_valid():
        return _detail(request, referral, "", **typed)
    try:
        answer(referral=referral, by=request.user, **form.cleaned_data)
    except WorkgroupError as error:
        return _detail(request, referral, str(error), **typed)
    return _answered(request, pk, done)


@partner_staff_only
@require_POST
def referral_accept(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _answer(
        request,
        pk,
        ReferralAcceptForm,
        "accept_form",
        network.accept_referral,
        _("Accepted. The coordinator has been told."),
    )


@partner_staff_only
@require_POST
def referral_decline(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _answer(
        request,
        pk,
        ReferralDeclineForm,
        "decline_form",
        network.decline_referral,
        _("Declined. The coordinator has been told why."),
    )


@partner_staff_only
@require_POST
def referral_report(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _answer(
        request,
        pk,
        ReferralReportForm,
        "report_form",
        network.report_referral_outcome,
        _("Thank you. The coordinator has been told how it went."),
    )
