"""The coordinators' side: card file, exports, bulk actions, detail, hours and referrals."""

from collections.abc import Collection
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ankommen.accounts.models import Role
from ankommen.accounts.permissions import access_or_404, role_required
from ankommen.audit import services as audit
from ankommen.audit.models import AuditEvent
from ankommen.audit.selectors import log_for
from ankommen.csv_export import requested_dialect
from ankommen.fragments import fragment_context
from ankommen.http import AuthenticatedHttpRequest
from ankommen.person_picker import picker_response
from volunteers import exports, selectors, services
from volunteers.filters import CardFileFilter
from volunteers.forms import (
    BulkActionForm,
    BulkStageMoveForm,
    ClearanceForm,
    HoursBulkForm,
    HoursReviewForm,
    NoteForm,
    StageMoveForm,
    selected_ids,
)
from volunteers.hooks import BULK_ACTIONS, DETAIL_PANELS
from volunteers.models import HoursEntry, Stage, Volunteer
from volunteers.permissions import access_volunteer, can_review_hours
from volunteers.picker import VOLUNTEERS
from volunteers.stages import allowed_moves

coordinators_only = role_required(Role.COORDINATOR)
PAGE_SIZE = 50


def _filtered(request: AuthenticatedHttpRequest) -> CardFileFilter:
    return CardFileFilter(request.GET, queryset=selectors.card_file())


def _bulk_targets() -> list[tuple[str, list[tuple[str, str]]]]:
    return [
        (str(action.label), action.targets())
        for action in BULK_ACTIONS.providers()
        if action.targets is not None
    ]


def _bulk_choices() -> list[tuple[str, str]]:
    return [
        ("move_stage", _("Move to stage")),
        ("message", _("Send an e-mail")),
        *[(action.key, str(action.label)) for action in BULK_ACTIONS.providers()],
    ]


@coordinators_only
def card_file(request: AuthenticatedHttpRequest) -> HttpResponse:
    filterset = _filtered(request)
    volunteers = filterset.qs if filterset.is_valid() else selectors.card_file().none()
    page = Paginator(volunteers, PAGE_SIZE).get_page(request.GET.get("page"))
    # The police-clearance column is special-category data about every volunteer shown.
    audit.record_reads(
        by=request.user, people=page.object_list, via=request.resolver_match.view_name
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "volunteers/volunteer_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
            # Rendered only when the cached chooser is missing: the groups cost a query.
            "bulk_form": SimpleLazyObject(
                lambda: BulkActionForm(actions=_bulk_choices(), targets=_bulk_targets())
            ),
            "stage_choices": Stage.choices,
            **fragment_context(),
        },
    )


@coordinators_only
def card_file_export(request: AuthenticatedHttpRequest, file_format: str) -> HttpResponse:
    """Exactly the filtered set, across all pages."""
    if file_format not in ("csv", "xlsx"):
        raise Http404
    filterset = _filtered(request)
    if not filterset.is_valid():
        messages.error(request, _("Please correct the filters before exporting."))
        return redirect(reverse("volunteers:card_file") + "?" + request.GET.urlencode())
    # Who took whose data out of the portal, one entry per person.
    exported = Volunteer.objects.filter(pk__in=filterset.qs.values("pk")).only("pk")
    audit.record_many(
        action=AuditEvent.Action.EXPORT,
        subjects=exported,
        by=request.user,
        details={"format": file_format},
    )
    if file_format == "xlsx":
        return exports.xlsx_response(filterset.qs)
    return exports.csv_response(filterset.qs, requested_dialect(request))


@coordinators_only
@require_POST
def card_file_bulk(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = BulkActionForm(request.POST, actions=_bulk_choices(), targets=_bulk_targets())
    back = reverse("volunteers:card_file") + "?" + request.POST.get("query", "")
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    volunteers = selectors.card_file().filter(pk__in=form.cleaned_data["volunteers"])
    action = form.cleaned_data["action"]
    if action == "move_stage":
        # Nothing moves yet: the summary says who moves from which stage, then asks.
        carried = [
            ("to_stage", form.cleaned_data["to_stage"]),
            ("query", request.POST.get("query", "")),
            *(("volunteers", volunteer.pk) for volunteer in form.cleaned_data["volunteers"]),
        ]
        return redirect(reverse("volunteers:card_file_bulk_move") + "?" + urlencode(carried))
    if action == "message":
        count = services.send_message_to_volunteers(
            volunteers=volunteers,
            by=request.user,
            subject=form.cleaned_data["subject"],
            body=form.cleaned_data["body"],
        )
        summary = ngettext(
            "The e-mail is on its way to %(count)d volunteer.",
            "The e-mail is on its way to %(count)d volunteers.",
            count,
        ) % {"count": count}
    else:
        # The form accepts registered actions only.
        registered = {entry.key: entry for entry in BULK_ACTIONS.providers()}
        summary = registered[action].run(volunteers, request.user, form.cleaned_data)
    messages.success(request, summary)
    return redirect(back)


@coordinators_only
@require_http_methods(["GET", "POST"])
def card_file_bulk_move(request: AuthenticatedHttpRequest) -> HttpResponse:
    """GET shows how many volunteers move from which stage to which, and who cannot and why;
    only POST moves them."""
    data = request.POST if request.method == "POST" else request.GET
    form = BulkStageMoveForm(data)
    back = reverse("volunteers:card_file") + "?" + data.get("query", "")[:2000]
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(back)
    to_stage = Stage(form.cleaned_data["to_stage"])
    chosen = form.cleaned_data["volunteers"]
    if request.method == "GET":
        plan = selectors.stage_move_plan(
            volunteer_ids=chosen.values_list("pk", flat=True), to_stage=to_stage
        )
        return render(
            request,
            "volunteers/volunteer_bulk_move.html",
            {"plan": plan, "form": form, "back": back},
        )
    result = services.move_stage_in_bulk(
        volunteers=chosen.select_related("user").order_by("user__full_name", "pk"),
        to_stage=to_stage,
        by=request.user,
    )
    summary = ngettext(
        "%(count)d volunteer moved.", "%(count)d volunteers moved.", result.moved
    ) % {"count": result.moved}
    if result.refused:
        refused = "; ".join(
            f"{volunteer.user.full_name}: {reason}" for volunteer, reason in result.refused[:10]
        )
        summary += " " + _("Not moved: %(list)s") % {"list": refused}
    messages.success(request, summary)
    return redirect(back)


@coordinators_only
@require_GET
@never_cache
def volunteer_search(request: AuthenticatedHttpRequest) -> JsonResponse:
    """The person picker's search as one types: by name, e-mail or record number."""
    return picker_response(VOLUNTEERS, request.GET.get("q", ""))


@coordinators_only
def volunteer_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    volunteer = access_or_404(selectors.volunteer_detail(pk, request.user), pk=pk)
    audit.record_reads(by=request.user, people=[volunteer], via=request.resolver_match.view_name)
    panels = [
        (panel.title, mark_safe(panel.render(volunteer, request)))  # noqa: S308 (rendered templates)
        for panel in DETAIL_PANELS.providers()
    ]
    valid_until = volunteer.clearance_valid_until
    return render(
        request,
        "volunteers/volunteer_detail.html",
        {
            "volunteer": volunteer,
            "panels": panels,
            "moves": allowed_moves(volunteer.stage),
            "stage_form": StageMoveForm(),
            "clearance_form": ClearanceForm(),
            "note_form": NoteForm(),
            "notes": volunteer.notes.select_related("author")[:50],
            "hours": selectors.hours_summary(volunteer),
            "recent_hours": volunteer.hours.select_related("theme")[:10],
            "clearance_status": selectors.clearance_status(valid_until),
            "clearance_valid_until": valid_until,
            "audit_log": log_for(volunteer),
        },
    )


@coordinators_only
@require_POST
def volunteer_move_stage(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    volunteer = access_volunteer(request.user, pk)
    form = StageMoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please choose a stage and a valid date."))
        return redirect(volunteer)
    try:
        services.move_stage(
            volunteer=volunteer,
            to_stage=form.cleaned_data["to_stage"],
            by=request.user,
            reason=form.cleaned_data["reason"],
            first_conversation_at=form.cleaned_data["first_conversation_at"],
        )
    except services.StageTransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The stage has been changed."))
    return redirect(volunteer)


@coordinators_only
@require_POST
def volunteer_add_note(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    volunteer = access_volunteer(request.user, pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        services.add_note(volunteer=volunteer, by=request.user, text=form.cleaned_data["text"])
        messages.success(request, _("The note has been saved."))
    else:
        messages.error(request, _("Please write a note."))
    return redirect(volunteer)


@coordinators_only
@require_POST
def volunteer_record_clearance(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    volunteer = access_volunteer(request.user, pk)
    form = ClearanceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please enter all three dates."))
        return redirect(volunteer)
    try:
        services.record_clearance(volunteer=volunteer, by=request.user, **form.cleaned_data)
    except services.VolunteerError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The inspection has been recorded."))
    return redirect(volunteer)


def _hours_review_page(
    request: AuthenticatedHttpRequest, bulk_form: HoursBulkForm, selected: Collection[int] = ()
) -> HttpResponse:
    page = Paginator(selectors.hours_to_review(), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(entry, can_review_hours(request.user, entry)) for entry in page.object_list]
    return render(
        request,
        "volunteers/hours_review.html",
        {"page": page, "rows": rows, "bulk_form": bulk_form, "selected": set(selected)},
    )


@coordinators_only
def hours_review(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _hours_review_page(request, HoursBulkForm())


@coordinators_only
@require_POST
def hours_decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    entry = access_or_404(HoursEntry.objects.all(), pk=pk)
    form = HoursReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please enter a valid number of hours."))
        return redirect("volunteers:hours_review")
    try:
        services.review_hours(
            entry=entry,
            by=request.user,
            approve=form.cleaned_data["decision"] == "approve",
            hours=form.cleaned_data["hours"],
        )
    except services.VolunteerError as error:
        messages.error(request, str(error))
    return redirect("volunteers:hours_review")


@coordinators_only
@require_POST
def hours_bulk(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Approve or decline the selected hours: first a summary of what will happen, then it."""
    form = HoursBulkForm(request.POST)
    ids, malformed = selected_ids(request.POST.getlist("entries"))
    if not ids:
        messages.error(request, _("Please select the hours to approve or decline."))
        return redirect("volunteers:hours_review")
    if not form.is_valid():
        return _hours_review_page(request, form, ids)
    approve = form.cleaned_data["decision"] == "approve"
    if not form.cleaned_data["confirmed"]:
        entries = [
            entry
            for entry in selectors.hours_to_review().filter(pk__in=ids)
            if can_review_hours(request.user, entry)
        ]
        if not entries:
            _say_skipped(request, len(set(ids)) + malformed)
            return redirect("volunteers:hours_review")
        preview = services.HoursReviewed(entries=entries, skipped=len(set(ids)) - len(entries))
        return render(
            request,
            "volunteers/hours_bulk_confirm.html",
            {
                "form": form,
                "approve": approve,
                "preview": preview,
                "skipped": preview.skipped + malformed,
            },
        )
    try:
        reviewed = services.review_hours_in_bulk(
            entry_ids=ids, by=request.user, approve=approve, reason=form.cleaned_data["reason"]
        )
    except services.VolunteerError as error:
        messages.error(request, str(error))
        return redirect("volunteers:hours_review")
    if reviewed.entries:
        messages.success(request, _hours_summary(reviewed, approve=approve))
    _say_skipped(request, reviewed.skipped + malformed)
    return redirect("volunteers:hours_review")


def _hours_summary(reviewed: services.HoursReviewed, *, approve: bool) -> str:
    count, hours = len(reviewed.entries), floatformat(reviewed.hours, -2)
    if approve:
        done = ngettext(
            "%(count)d entry approved (%(hours)s h).",
            "%(count)d entries approved (%(hours)s h in all).",
            count,
        )
    else:
        done = ngettext(
            "%(count)d entry not approved (%(hours)s h).",
            "%(count)d entries not approved (%(hours)s h in all).",
            count,
        )
    told = ngettext(
        "%(count)d volunteer is told about it.",
        "%(count)d volunteers are told about it, each in one message.",
        reviewed.volunteers,
    )
    return " ".join(
        (done % {"count": count, "hours": hours}, told % {"count": reviewed.volunteers})
    )


def _say_skipped(request: AuthenticatedHttpRequest, skipped: int) -> None:
    if skipped:
        messages.warning(
            request,
            ngettext(
                "%(count)d selected entry was left alone: it was reviewed meanwhile, does not "
                "exist, or is your own (another coordinator reviews those).",
                "%(count)d selected entries were left alone: they were reviewed meanwhile, do "
                "not exist, or are your own (another coordinator reviews those).",
                skipped,
            )
            % {"count": skipped},
        )


@coordinators_only
def referrals(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "volunteers/referrals.html", {"overview": selectors.referral_overview()})
