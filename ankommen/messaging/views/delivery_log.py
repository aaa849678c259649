from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from ankommen.accounts.models import Role
from ankommen.accounts.permissions import role_required
from ankommen.http import AuthenticatedHttpRequest
from ankommen.messaging import selectors
from ankommen.messaging.forms import DeliveryLogFilter


@role_required(Role.COORDINATOR)
def delivery_log(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every e-mail the portal sent or tried to send, so failures are seen, not guessed."""
    filterset = DeliveryLogFilter(request.GET or None, queryset=selectors.delivery_log())
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "messaging/outboxmessage_list.html",
        {"filter": filterset, "page": page, "query": query.urlencode()},
    )
