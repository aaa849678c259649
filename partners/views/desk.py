"""The partner desk: what a person acting for partner organisations sees first."""

from django.http import HttpResponse
from django.shortcuts import render

from ankommen.http import AuthenticatedHttpRequest
from partners import selectors
from partners.permissions import partner_staff_only


@partner_staff_only
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "partners/home.html",
        {"organisations": selectors.desk_for(request.user)},
    )
