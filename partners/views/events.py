"""Partner staff reply to network events for their organisation."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ankommen.accounts.permissions import access_or_404
from ankommen.http import AuthenticatedHttpRequest
from partners.forms import EventReplyForm
from partners.permissions import partner_staff_only, partners_acted_for
from partners.selectors.desk import desks_for
from partners.services import desk as services
from partners.views.offers import REFUSALS
from workgroups.selectors import upcoming_events


@partner_staff_only
def events(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Events to come, with each organisation's reply and buttons to give or change it."""
    return render(request, "partners/events.html", {"desks": desks_for(request.user)})


@partner_staff_only
@require_POST
def event_reply(request: AuthenticatedHttpRequest, pk: int, event_pk: int) -> HttpResponse:
    partner = access_or_404(partners_acted_for(request.user), pk=pk)
    event = access_or_404(upcoming_events(), pk=event_pk)
    form = EventReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please answer yes or no."))
    else:
        try:
            services.reply_to_event(
                event=event, partner=partner, answer=form.cleaned_data["answer"], by=request.user
            )
        except REFUSALS as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Thank you: the reply of %(partner)s has been recorded.") % {"partner": partner},
            )
    return redirect("partners:events")
