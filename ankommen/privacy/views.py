"""Exports and erasure for coordinators, and a volunteer's own export. Each needs a fresh
password (allauth's re-authentication), because each hands over or destroys a whole person."""

import json

from allauth.account.decorators import reauthentication_required
from django import forms
from django.contrib import messages
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Model
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from ankommen.accounts.models import Role
from ankommen.accounts.permissions import access_or_404, role_required
from ankommen.http import AuthenticatedHttpRequest
from ankommen.privacy import processing as processing_records
from ankommen.privacy import retention as retention_service
from ankommen.privacy.models import RetentionReview
from ankommen.privacy.registry import (
    VOLUNTEER,
    erase_person,
    export_person,
    person_model,
)

coordinators_only = role_required(Role.COORDINATOR)


def _person(kind: str, pk: int) -> Model:
    people = person_model(kind).objects.all()
    if kind == VOLUNTEER:
        people = people.select_related("user")
    return access_or_404(people, pk=pk)


def download(data: dict, name: str) -> HttpResponse:
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.json"'
    return response


@coordinators_only
@reauthentication_required
def export(
    request: AuthenticatedHttpRequest, kind: str, pk: int, file_format: str = "html"
) -> HttpResponse:
    person = _person(kind, pk)
    data = export_person(kind, person, by=request.user)
    if file_format == "json":
        return download(data, f"{kind}-{pk}")
    return render(request, "privacy/export.html", {"data": data, "person": person, "kind": kind})


@role_required(Role.VOLUNTEER)
@reauthentication_required
def my_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    volunteers = person_model(VOLUNTEER).objects.filter(user=request.user)
    volunteer = access_or_404(volunteers, user=request.user)
    return download(export_person(VOLUNTEER, volunteer, by=request.user), "my-data")


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy("I understand that this cannot be undone."), required=True
    )


@coordinators_only
@reauthentication_required
@require_http_methods(["GET", "POST"])
def erase(request: AuthenticatedHttpRequest, kind: str, pk: int) -> HttpResponse:
    person = _person(kind, pk)
    form = EraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        erase_person(kind, person, by=request.user)
        messages.success(request, _("The personal data have been erased. The figures stay."))
        return redirect(person.get_absolute_url())
    return render(request, "privacy/erase.html", {"form": form, "person": person, "kind": kind})


@coordinators_only
def retention(request: AuthenticatedHttpRequest) -> HttpResponse:
    reviews = list(RetentionReview.objects.select_related("confirmed_by")[:20])
    proposed = next((r for r in reviews if r.state == RetentionReview.State.PROPOSED), None)
    return render(
        request,
        "privacy/retention.html",
        {
            "reviews": reviews,
            "proposed": proposed,
            "items": retention_service.labelled_items(proposed) if proposed else [],
        },
    )


@coordinators_only
@require_http_methods(["POST"])
@reauthentication_required
def retention_confirm(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    review = access_or_404(
        RetentionReview.objects.filter(state=RetentionReview.State.PROPOSED), pk=pk
    )
    done = retention_service.confirm_review(review, request.user)
    messages.success(
        request,
        _("%(erased)s people erased; %(skipped)s were no longer due and were left alone.")
        % {"erased": done.erased_count, "skipped": done.skipped_count},
    )
    return redirect("privacy:retention")


@coordinators_only
def processing(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "privacy/processing.html",
        {"activities": processing_records.activities(), **processing_records.retention_periods()},
    )
