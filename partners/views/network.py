"""The network as partner staff see it: the gap matrix in aggregate (counts and status, no
records behind the cells, nothing about any person) and the active organisations with the map."""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render

from ankommen.http import AuthenticatedHttpRequest
from partners.permissions import partner_staff_only
from workgroups.gaps import matrix_rows
from workgroups.selectors import map_points, partner_list


@partner_staff_only
def network(request: AuthenticatedHttpRequest) -> HttpResponse:
    districts, rows = matrix_rows()
    partners = [partner for partner in partner_list(request.user) if partner.is_active]
    return render(
        request,
        "partners/network.html",
        {
            "districts": districts,
            "rows": rows,
            "partners": partners,
            "points": map_points(partners),
            "tiles_url": settings.MAP_TILES_URL,
        },
    )
