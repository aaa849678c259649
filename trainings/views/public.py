"""The catalogue and session pages: open to everyone, sign-up for those signed in."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from ankommen.accounts.models import Role
from ankommen.accounts.permissions import access_or_404, role_required
from ankommen.fragments import fragment_context
from ankommen.http import AuthenticatedHttpRequest
from refugees.permissions import NewcomerHttpRequest, newcomer_required
from trainings import selectors, services
from trainings.calendar import feed_ics, session_ics
from trainings.filters import CatalogueFilter
from trainings.models import Registration, Session


@login_not_required
def catalogue(request: HttpRequest) -> HttpResponse:
    filterset = CatalogueFilter(request.GET, queryset=selectors.catalogue())
    sessions = filterset.qs if filterset.is_valid() else selectors.catalogue().none()
    page = Paginator(sessions, 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "trainings/session_list.html",
        {"filter": filterset, "page": page, "query": query.urlencode(), **fragment_context()},
    )


@login_not_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = access_or_404(selectors.session_detail(), pk=pk)
    mine = None
    if request.user.is_authenticated:
        mine = (
            session.registrations.filter(user=request.user)
            .exclude(state=Registration.State.CANCELLED)
            .first()
        )
    return render(
        request,
        "trainings/session_detail.html",
        {
            "session": session,
            "mine": mine,
            "can_sign_up": request.user.is_authenticated and request.user.is_volunteer,
        },
    )


@login_not_required
def session_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    session = access_or_404(Session.objects.select_related("course"), pk=pk)
    response = HttpResponse(session_ics(session), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="training-{session.pk}.ics"'
    return response


@login_not_required
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """A secret URL for calendar apps, which cannot sign in: the token is the proof."""
    owner = services.feed_owner(token)
    if owner is None:
        raise Http404
    sessions = selectors.sessions_of(owner).select_related("course")
    with translation.override(owner.preferred_language):  # calendar apps send no language
        calendar = feed_ics(sessions)
    response = HttpResponse(calendar, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    return response


@role_required(Role.VOLUNTEER)
@require_POST
def session_sign_up(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    session = access_or_404(Session.objects.all(), pk=pk)
    try:
        registration = services.sign_up(session=session, user=request.user, by=request.user)
    except services.TrainingError as error:
        messages.error(request, str(error))
    else:
        if registration.state == Registration.State.CONFIRMED:
            messages.success(request, _("You are signed up. See you there!"))
        else:
            messages.info(request, _("The session is full: you are on the waiting list."))
    return redirect(session)


@require_POST
def registration_cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """People cancel their own sign-ups; the next person waiting moves up at once."""
    registration = access_or_404(
        Registration.objects.filter(user=request.user).select_related("session"), pk=pk
    )
    try:
        services.cancel_registration(registration=registration, by=request.user)
    except services.TrainingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your sign-up has been cancelled."))
    return redirect(registration.session)


@newcomer_required
@require_POST
def newcomer_sign_up(request: NewcomerHttpRequest, pk: int) -> HttpResponse:
    """Newcomers sign themselves up for newcomer courses from their own view."""
    session = access_or_404(Session.objects.all(), pk=pk)
    try:
        registration = services.sign_up(session=session, newcomer=request.newcomer, by=request.user)
    except services.TrainingError as error:
        messages.error(request, str(error))
        return redirect("newcomer:offers")
    if registration.state == Registration.State.CONFIRMED:
        messages.success(request, pgettext("newcomer view", "You are signed up. See you there!"))
    else:
        messages.success(
            request,
            pgettext("newcomer view", "The course is full. You are on the waiting list."),
        )
    return redirect("newcomer:appointments")
