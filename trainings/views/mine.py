"""A person's own trainings: sign-ups, qualifications, certificates and the calendar feed."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ankommen.accounts.permissions import access_or_404, is_coordinator
from ankommen.http import AuthenticatedHttpRequest
from trainings import selectors, services
from trainings.certificate import attendance_certificate
from trainings.models import CalendarFeed, Registration


def my_trainings(request: AuthenticatedHttpRequest) -> HttpResponse:
    feed_token = request.session.pop("trainings:new_feed_token", None)
    return render(
        request,
        "trainings/my_trainings.html",
        {
            "registrations": selectors.my_registrations(request.user),
            "qualifications": request.user.qualifications.all(),
            "has_feed": CalendarFeed.objects.filter(user=request.user).exists(),
            "feed_url": request.build_absolute_uri(reverse("calendar_feed", args=[feed_token]))
            if feed_token
            else "",
        },
    )


@require_POST
def feed_renew(request: AuthenticatedHttpRequest) -> HttpResponse:
    # Shown once on the next page; only its hash is kept.
    request.session["trainings:new_feed_token"] = services.renew_calendar_feed(user=request.user)
    messages.success(request, _("Your calendar link is ready. Any older link no longer works."))
    return redirect("trainings:my_trainings")


@require_POST
def feed_revoke(request: AuthenticatedHttpRequest) -> HttpResponse:
    services.revoke_calendar_feed(user=request.user)
    messages.success(request, _("Your calendar link no longer works."))
    return redirect("trainings:my_trainings")


def certificate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """For the participant, and for coordinators: only after attending."""
    registrations = Registration.objects.filter(attended=True).select_related(
        "session__course", "user", "newcomer"
    )
    if not is_coordinator(request.user):
        registrations = registrations.filter(user=request.user)
    registration = access_or_404(registrations, pk=pk)
    response = HttpResponse(attendance_certificate(registration), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="certificate.pdf"'
    return response
