from django.http import HttpResponse
from django.shortcuts import render

from ankommen.accounts.models import Role
from ankommen.accounts.permissions import role_required
from ankommen.http import AuthenticatedHttpRequest
from ankommen.search.selectors import MAX_LENGTH, SHOWN_PER_KIND, people_found, read_terms


@role_required(Role.COORDINATOR)
def people(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The menu's search box: volunteers and newcomers by name or record number, by kind.

    It shows names, years of birth, districts and stages, as the unfiltered lists do, and
    none of the sensitive fields, so it records no read (ankommen/audit/reads.py).
    """
    text = request.GET.get("q", "")[:MAX_LENGTH]
    terms = read_terms(text)
    return render(
        request,
        "search/people.html",
        {
            "query": text.strip(),
            "terms": terms,
            "kinds": people_found(user=request.user, terms=terms) if terms else [],
            "shown": SHOWN_PER_KIND,
        },
    )
