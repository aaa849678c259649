"""The partner desk: what a person acting for partner organisations sees first."""

from django.http import HttpResponse
from django.shortcuts import render

from ankommen.http import AuthenticatedHttpRequest
from partners.permissions import partner_staff_only
from partners.selectors.desk import desks_for


@partner_staff_only
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    desks = desks_for(request.user)
    for desk in desks:
        # Each organisation's section includes its desk's partials (templates/partners/_desk_*).
        desk.partner.desk = desk  # type: ignore[attr-defined]
    return render(
        request, "partners/home.html", {"organisations": [desk.partner for desk in desks]}
    )
