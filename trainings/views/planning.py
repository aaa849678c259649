"""Coordinators plan trainings here instead of in the administration: courses, single
sessions and weekly series."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from ankommen.accounts.permissions import access_or_404
from ankommen.http import AuthenticatedHttpRequest
from trainings import selectors, services
from trainings.forms import CourseForm, SeriesForm, SessionForm
from trainings.models import Course, Session
from trainings.permissions import can_add_sessions, can_retire_course
from trainings.views.manage import coordinators_only


@coordinators_only
def course_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    page = Paginator(selectors.courses_for_coordinators(), 50).get_page(request.GET.get("page"))
    rows = [
        (course, can_add_sessions(request.user, course), can_retire_course(request.user, course))
        for course in page.object_list
    ]
    return render(request, "trainings/course_list.html", {"page": page, "rows": rows})


@coordinators_only
@require_http_methods(["GET", "POST"])
def course_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = CourseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.create_course(
            course=form.save(commit=False),
            languages=form.cleaned_data["languages"],
            prerequisites=form.cleaned_data["prerequisites"],
            by=request.user,
        )
        messages.success(request, _("The course has been created. Now plan its sessions."))
        return redirect("trainings:course_list")
    return render(request, "trainings/course_form.html", {"form": form, "course": None})


@coordinators_only
@require_http_methods(["GET", "POST"])
def course_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    course = access_or_404(Course.objects.all(), pk=pk)
    form = CourseForm(request.POST or None, instance=course)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_course(
                course=form.save(commit=False),
                languages=form.cleaned_data["languages"],
                prerequisites=form.cleaned_data["prerequisites"],
                by=request.user,
            )
        except services.TrainingError as error:
            form.add_error("prerequisites", str(error))
        else:
            messages.success(request, _("The course has been saved."))
            return redirect("trainings:course_list")
    return render(request, "trainings/course_form.html", {"form": form, "course": course})


@coordinators_only
@require_POST
def course_copy(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    course = access_or_404(Course.objects.all(), pk=pk)
    copy = services.copy_course(course=course, by=request.user)
    messages.success(request, _("This is a copy without sessions: adapt it and save."))
    return redirect("trainings:course_edit", pk=copy.pk)


@coordinators_only
@require_http_methods(["GET", "POST"])
def course_retire(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """First what will happen (which sessions are cancelled, how many people are told)."""
    course = access_or_404(Course.objects.all(), pk=pk)
    if request.method == "POST":
        try:
            retired = services.retire_course(course=course, by=request.user)
        except services.TrainingError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                ngettext(
                    "The course is retired; %(sessions)d session was cancelled.",
                    "The course is retired; %(sessions)d sessions were cancelled.",
                    retired.sessions,
                )
                % {"sessions": retired.sessions}
                + " "
                + ngettext(
                    "%(count)d person has been told.",
                    "%(count)d people have been told.",
                    retired.told,
                )
                % {"count": retired.told},
            )
        return redirect("trainings:course_list")
    cancelled = selectors.sessions_cancelled_by_retiring(course)
    sessions = list(cancelled)
    return render(
        request,
        "trainings/course_retire.html",
        {
            "course": course,
            "sessions": sessions,
            "people": selectors.people_in(cancelled) if sessions else 0,
            "can_retire": can_retire_course(request.user, course),
        },
    )


@coordinators_only
@require_http_methods(["GET", "POST"])
def session_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    initial = {}
    course_pk = request.GET.get("course", "")
    if course_pk.isdigit():
        initial["course"] = course_pk
    form = SessionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.create_session(
                session=form.save(commit=False),
                trainers=form.cleaned_data["trainers"],
                by=request.user,
            )
        except services.TrainingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The session has been created."))
            return redirect("trainings:session_manage", pk=session.pk)
    return render(request, "trainings/session_form.html", {"form": form, "session": None})


@coordinators_only
@require_http_methods(["GET", "POST"])
def session_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Changing the time, place or link tells everyone taking part, as moving does."""
    session = access_or_404(Session.objects.select_related("course"), pk=pk)
    if session.status == Session.Status.CANCELLED:
        messages.error(request, _("A cancelled session cannot be changed."))
        return redirect("trainings:session_manage", pk=pk)
    form = SessionForm(request.POST or None, instance=session)
    if request.method == "POST" and form.is_valid():
        try:
            updated = services.update_session(
                session=form.save(commit=False),
                trainers=form.cleaned_data["trainers"],
                by=request.user,
            )
        except services.TrainingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The session has been saved."))
            if updated.told:
                messages.info(
                    request,
                    ngettext(
                        "%(count)d person taking part has been told of the new time or place.",
                        "%(count)d people taking part have been told of the new time or place.",
                        updated.told,
                    )
                    % {"count": updated.told},
                )
            for registration in updated.promoted:
                messages.info(
                    request,
                    _("%(name)s moved up from the waiting list and has been told.")
                    % {"name": registration.participant_name},
                )
            return redirect("trainings:session_manage", pk=pk)
    return render(request, "trainings/session_form.html", {"form": form, "session": session})


@coordinators_only
@require_http_methods(["GET", "POST"])
def series_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Fill in the series, see its dates and tick those to leave out, then create them all."""
    initial: dict[str, object] = {"weeks": 8, "capacity": 12}
    course_pk = request.GET.get("course", "")
    if course_pk.isdigit():
        initial["course"] = int(course_pk)
    action = request.POST.get("action", "")
    data = request.POST.copy() if request.method == "POST" else None
    if data is not None and action == "change":
        # Back to the form: the dates left out are chosen again from the next list.
        data.setlist("skipped", [])
    form = SeriesForm(data, initial=initial)
    if request.method != "POST" or action == "change" or not form.is_valid():
        return render(request, "trainings/series_form.html", {"form": form})
    cleaned = form.cleaned_data
    try:
        dates = services.plan_weekly_series(
            first_on=cleaned["first_on"],
            weeks=cleaned["weeks"],
            starts_at=cleaned["starts_at_time"],
            ends_at=cleaned["ends_at_time"],
            skipped=cleaned["skipped"],
        )
    except services.SeriesError as error:
        # The skipped dates are ticked in the preview, not in this form.
        form.add_error(None if error.field == "skipped" else error.field, str(error))
        return render(request, "trainings/series_form.html", {"form": form})
    if action == "create":
        try:
            sessions = services.create_series(
                course=cleaned["course"],
                dates=dates,
                place=cleaned["place"],
                online_url=cleaned["online_url"],
                capacity=cleaned["capacity"],
                trainers=cleaned["trainers"],
                signup_days_before=cleaned["signup_days_before"],
                cancellation_days_before=cleaned["cancellation_days_before"],
                by=request.user,
            )
        except services.TrainingError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d session has been created.",
                    "%(count)d sessions have been created.",
                    len(sessions),
                )
                % {"count": len(sessions)},
            )
            url = reverse("trainings:session_admin_list")
            return redirect(f"{url}?course={cleaned['course'].pk}")
    return render(
        request,
        "trainings/series_preview.html",
        {
            "form": form,
            "dates": dates,
            "creating": sum(not planned.is_skipped for planned in dates),
        },
    )
