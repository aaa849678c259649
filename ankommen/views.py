from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.template.loader import render_to_string


@login_not_required
def home(request: HttpRequest) -> HttpResponse:
    """Visitors learn what the portal is; signed-in people see what they can do from here."""
    if not request.user.is_authenticated:
        return render(request, "home/landing.html")
    role_home = settings.ROLE_HOMES.get(request.user.role)
    if role_home:
        return redirect(role_home)
    return render(request, "home/home.html")


@login_not_required
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """An expired form is common on shared phones: explain it instead of Django's bare 403."""
    return HttpResponseForbidden(render_to_string("403_csrf.html", request=request))
