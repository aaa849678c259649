"""The coordinators' cockpit pages; the figures come from the modules next to this one."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ankommen.accounts.models import Role
from ankommen.accounts.permissions import role_required
from cockpit import dashboard as dashboard_data

coordinators_only = role_required(Role.COORDINATOR)


@coordinators_only
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "cockpit/dashboard.html",
        {"dashboard": dashboard_data.build(timezone.localdate()), "now": timezone.now()},
    )
