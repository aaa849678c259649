"""Coordinators and trainers: who is signed up and waiting, attendance, removing, cancelling,
moving."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ankommen.accounts.models import Role
from ankommen.accounts.permissions import access_or_404, role_required
from ankommen.http import AuthenticatedHttpRequest
from ankommen.messaging.services import is_reachable
from trainings import selectors, services
from trainings.forms import MoveSessionForm, NewcomerSignUpForm
from trainings.models import Course, Registration, Session
from trainings.permissions import (
    can_change_session,
    can_mark_any_attendance,
    can_mark_attendance,
)

coordinators_only = role_required(Role.COORDINATOR)


@coordinators_only
def session_admin_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Upcoming sessions with their places and waiting lists; of one course if asked."""
    course = None
    if (course_pk := request.GET.get("course", "")).isdigit():
        course = access_or_404(Course.objects.all(), pk=course_pk)
    sessions = selectors.sessions_for_coordinators(course=course)
    page = Paginator(sessions, 50).get_page(request.GET.get("page"))
    needing_attendance = selectors.sessions_needing_attendance(request.user).count()
    return render(
        request,
        "trainings/session_admin_list.html",
        {
            "page": page,
            "course": course,
            "query": f"course={course.pk}" if course else "",
            "needing_attendance": needing_attendance,
        },
    )


def needs_attendance(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Sessions that have ended without a complete roll-call, for coordinators and trainers."""
    if not can_mark_any_attendance(request.user):
        raise PermissionDenied
    sessions = selectors.sessions_needing_attendance(request.user)
    page = Paginator(sessions, 50).get_page(request.GET.get("page"))
    return render(request, "trainings/needs_attendance.html", {"page": page})


@coordinators_only
def session_manage(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    session = access_or_404(selectors.session_detail(), pk=pk)
    registrations = list(selectors.registrations_of(session))
    waiting = [r for r in registrations if r.state == Registration.State.WAITLISTED]
    return render(
        request,
        "trainings/session_manage.html",
        {
            "session": session,
            "confirmed": [r for r in registrations if r.state == Registration.State.CONFIRMED],
            "waiting": waiting,
            "can_change": can_change_session(request.user, session),
            "newcomer_form": NewcomerSignUpForm(search=request.GET.get("find_newcomer", "")),
            "move_form": MoveSessionForm(
                initial={
                    "starts_at": session.starts_at,
                    "ends_at": session.ends_at,
                    "place": session.place,
                }
            ),
        },
    )


@coordinators_only
@require_POST
def session_sign_up_newcomer(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    session = access_or_404(Session.objects.all(), pk=pk)
    form = NewcomerSignUpForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please choose a newcomer."))
        return redirect("trainings:session_manage", pk=pk)
    try:
        services.sign_up(session=session, newcomer=form.cleaned_data["newcomer"], by=request.user)
    except services.TrainingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The newcomer has been signed up."))
    return redirect("trainings:session_manage", pk=pk)


@coordinators_only
@require_http_methods(["GET", "POST"])
def session_cancel_registration(
    request: AuthenticatedHttpRequest, pk: int, registration_pk: int
) -> HttpResponse:
    """First who is removed, that they are told, and who moves up; then it is done."""
    registration = access_or_404(
        Registration.objects.filter(session_id=pk)
        .exclude(state=Registration.State.CANCELLED)
        .select_related("session__course", "user", "newcomer"),
        pk=registration_pk,
    )
    if request.method == "POST":
        try:
            promoted = services.remove_participant(registration=registration, by=request.user)
        except services.TrainingError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("%(name)s has been removed.") % {"name": registration.participant_name},
            )
            if promoted is not None:
                messages.info(
                    request,
                    _("%(name)s moved up from the waiting list and has been told.")
                    % {"name": promoted.participant_name},
                )
        return redirect("trainings:session_manage", pk=pk)
    session = registration.session
    moves_up = None
    if (
        registration.state == Registration.State.CONFIRMED
        and session.status == Session.Status.PLANNED
    ):
        moves_up = selectors.first_waiting(session)
    return render(
        request,
        "trainings/registration_remove.html",
        {
            "session": session,
            "registration": registration,
            "is_told": is_reachable(registration.user),
            "moves_up": moves_up,
            "moves_up_is_told": moves_up is not None and is_reachable(moves_up.user),
        },
    )


@coordinators_only
@require_http_methods(["GET", "POST"])
def session_cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """First how many people are told; then the session is cancelled."""
    session = access_or_404(Session.objects.select_related("course"), pk=pk)
    if request.method == "POST":
        try:
            told = services.cancel_session(session=session, by=request.user)
        except services.TrainingError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("The session is cancelled; %(count)d people are told.") % {"count": told},
            )
        return redirect("trainings:session_manage", pk=pk)
    return render(
        request,
        "trainings/session_cancel.html",
        {
            "session": session,
            "waiting": session.registrations.filter(state=Registration.State.WAITLISTED).count(),
            "can_change": can_change_session(request.user, session),
        },
    )


@coordinators_only
@require_POST
def session_move(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    session = access_or_404(Session.objects.all(), pk=pk)
    form = MoveSessionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please enter a valid start, end and place."))
        return redirect("trainings:session_manage", pk=pk)
    try:
        services.move_session(session=session, by=request.user, **form.cleaned_data)
    except services.TrainingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The session has been moved; everyone taking part is told."))
    return redirect("trainings:session_manage", pk=pk)


@require_http_methods(["GET", "POST"])
def attendance(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A phone-friendly list for the trainer in the room; coordinators may use it too."""
    session = access_or_404(Session.objects.select_related("course"), pk=pk)
    if not can_mark_attendance(request.user, session):
        raise PermissionDenied
    if request.method == "POST":
        registration = access_or_404(
            session.registrations.all(), pk=request.POST.get("registration", "0") or 0
        )
        try:
            services.record_attendance(
                registration=registration,
                attended=request.POST.get("attended") == "yes",
                by=request.user,
            )
        except services.TrainingError as error:
            messages.error(request, str(error))
        return redirect("trainings:attendance", pk=pk)
    participants = session.registrations.filter(state=Registration.State.CONFIRMED).select_related(
        "user", "newcomer"
    )
    return render(
        request, "trainings/attendance.html", {"session": session, "participants": participants}
    )
