"""The coordinators' cockpit pages; the figures come from the modules next to this one."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ankommen.accounts.models import Role
from ankommen.accounts.permissions import role_required
from cockpit import dashboard as dashboard_data
from cockpit.forms import ReportForm, year_so_far
from cockpit.reports import build_report, report_csv, report_pdf

coordinators_only = role_required(Role.COORDINATOR)


@coordinators_only
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "cockpit/dashboard.html",
        {"dashboard": dashboard_data.build(timezone.localdate()), "now": timezone.now()},
    )


@coordinators_only
def report(request: HttpRequest) -> HttpResponse:
    """The period's figures on screen, or as CSV or PDF with ?format=csv / ?format=pdf."""
    form = ReportForm(request.GET if "start" in request.GET else None, initial=year_so_far())
    built = build_report(**form.cleaned_data) if form.is_bound and form.is_valid() else None
    if built is None and not form.is_bound:
        built = build_report(**year_so_far())
    file_format = request.GET.get("format")
    if built is not None and file_format in ("csv", "pdf"):
        name = f"report-{built.start}-{built.end}.{file_format}"
        if file_format == "csv":
            response = HttpResponse(report_csv(built), content_type="text/csv; charset=utf-8")
        else:
            response = HttpResponse(report_pdf(built), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "cockpit/report.html", {"form": form, "report": built}, status=status)
