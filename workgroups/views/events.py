"""Coordinators plan network events, see who replied, change and cancel them."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from ankommen.accounts.models import Role
from ankommen.accounts.permissions import access_or_404, role_required
from ankommen.http import AuthenticatedHttpRequest
from workgroups import selectors, services
from workgroups.forms import NetworkEventForm, PartnerReplyForm
from workgroups.models import EventResponse, NetworkEvent

coordinators_only = role_required(Role.COORDINATOR)

EVENT_FIELDS = ["title", "starts_at", "place", "description"]


def _told(request: AuthenticatedHttpRequest, count: int) -> None:
    if count:
        messages.info(
            request,
            ngettext(
                "%(count)d person who said they are coming has been told by e-mail.",
                "%(count)d people who said they are coming have been told by e-mail.",
                count,
            )
            % {"count": count},
        )


@coordinators_only
@require_http_methods(["GET", "POST"])
def event_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = NetworkEventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.create_network_event(by=request.user, **form.cleaned_data)
        except services.WorkgroupError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The event has been created."))
            return redirect("workgroups:event_detail", pk=event.pk)
    return render(request, "workgroups/event_form.html", {"form": form})


@coordinators_only
def event_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    event = access_or_404(NetworkEvent.objects.all(), pk=pk)
    return _detail(request, event, PartnerReplyForm())


def _detail(
    request: AuthenticatedHttpRequest, event: NetworkEvent, form: PartnerReplyForm
) -> HttpResponse:
    replies = list(selectors.replies_to(event))
    return render(
        request,
        "workgroups/event_detail.html",
        {
            "event": event,
            "coming": [reply for reply in replies if reply.answer == EventResponse.Answer.YES],
            "not_coming": [reply for reply in replies if reply.answer == EventResponse.Answer.NO],
            "form": form if not (event.is_cancelled or event.is_over) else None,
        },
    )


@coordinators_only
@require_POST
def event_partner_reply(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A partner's contact answered by phone or e-mail: the coordinator notes it here."""
    event = access_or_404(NetworkEvent.objects.all(), pk=pk)
    form = PartnerReplyForm(request.POST)
    if form.is_valid():
        try:
            services.record_partner_reply(event=event, by=request.user, **form.cleaned_data)
        except services.WorkgroupError as error:
            messages.error(request, str(error))  # cancelled or begun meanwhile: no form now
        else:
            messages.success(request, _("The partner's reply has been recorded."))
        return redirect("workgroups:event_detail", pk=pk)
    return _detail(request, event, form)


@coordinators_only
@require_http_methods(["GET", "POST"])
def event_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    event = access_or_404(NetworkEvent.objects.all(), pk=pk)
    title = event.title  # validating the form writes the edit onto the instance
    form = NetworkEventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        try:
            told = services.update_network_event(event=event, by=request.user, **form.cleaned_data)
        except services.WorkgroupError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The event has been saved."))
            _told(request, told)
            return redirect("workgroups:event_detail", pk=pk)
    return render(
        request, "workgroups/event_form.html", {"form": form, "event": event, "title": title}
    )


@coordinators_only
@require_http_methods(["GET", "POST"])
def event_cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """First a page that says who will be told; the button on it cancels."""
    event = access_or_404(NetworkEvent.objects.all(), pk=pk)
    if request.method == "POST":
        try:
            told = services.cancel_network_event(event=event, by=request.user)
        except services.WorkgroupError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The event has been cancelled."))
            _told(request, told)
        return redirect("workgroups:event_detail", pk=pk)
    coming = event.responses.filter(answer=EventResponse.Answer.YES).count()
    return render(request, "workgroups/event_cancel.html", {"event": event, "coming": coming})
