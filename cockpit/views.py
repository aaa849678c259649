"""The coordinators' cockpit pages; the figures come from the modules next to this one."""

from django.contrib import messages
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ankommen.accounts.models import Role
from ankommen.accounts.permissions import access_or_404, role_required
from ankommen.audit.selectors import history_of_kind
from ankommen.csv_export import csv_response, requested_dialect
from ankommen.http import AuthenticatedHttpRequest
from cockpit import dashboard as dashboard_data
from cockpit import services
from cockpit.forms import ImportForm, ReportForm, TargetForm, year_so_far
from cockpit.imports import services as imports
from cockpit.imports.kinds import KINDS
from cockpit.models import ImportJob, Target
from cockpit.reports import build_report, report_csv, report_pdf

coordinators_only = role_required(Role.COORDINATOR)


# The figures are the same for every coordinator; at city scale they cost about 0.2 s, so they
# are computed at most once a minute per language, and the page says as of when.
DASHBOARD_SECONDS = 60


@coordinators_only
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    def fresh() -> tuple:
        return dashboard_data.build(timezone.localdate()), timezone.now()

    key = dashboard_data.cache_key(translation.get_language())
    figures, as_of = cache.get_or_set(key, fresh, DASHBOARD_SECONDS)
    return render(
        request,
        "cockpit/dashboard.html",
        {"dashboard": figures, "now": as_of, "cache_seconds": DASHBOARD_SECONDS},
    )


@coordinators_only
def report(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The period's figures on screen, or as CSV or PDF with ?format=csv / ?format=pdf."""
    form = ReportForm(request.GET if "start" in request.GET else None, initial=year_so_far())
    built = build_report(**form.cleaned_data) if form.is_bound and form.is_valid() else None
    if built is None and not form.is_bound:
        built = build_report(**year_so_far())
    file_format = request.GET.get("format")
    if built is not None and file_format == "csv":
        return report_csv(built, requested_dialect(request))
    if built is not None and file_format == "pdf":
        response = HttpResponse(report_pdf(built), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{built.file_name}.pdf"'
        return response
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "cockpit/report.html", {"form": form, "report": built}, status=status)


@coordinators_only
@require_http_methods(["GET", "POST"])
def import_start(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = imports.start_import(
            by=request.user,
            kind=form.cleaned_data["kind"],
            file_name=upload.name,
            content=upload.read(),
        )
        return redirect("cockpit:import_detail", pk=job.pk)
    columns = [(kind, label, KINDS[kind]) for kind, label in ImportJob.Kind.choices]
    recent = ImportJob.objects.select_related("started_by").defer("content")[:10]
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(
        request,
        "cockpit/import_start.html",
        {"form": form, "columns": columns, "recent": recent},
        status=status,
    )


def _job(pk: int) -> ImportJob:
    return access_or_404(ImportJob.objects.select_related("started_by").defer("content"), pk=pk)


@coordinators_only
def import_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return render(request, "cockpit/import_detail.html", {"job": _job(pk)})


@coordinators_only
def import_progress(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return render(request, "cockpit/partials/_import_progress.html", {"job": _job(pk)})


@coordinators_only
@require_POST
def import_confirm(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    job = _job(pk)
    try:
        imports.confirm_import(job=job)
    except imports.ImportRefusedError as refused:
        messages.error(request, str(refused))
    return redirect("cockpit:import_detail", pk=job.pk)


@coordinators_only
def import_template(request: AuthenticatedHttpRequest, kind: str) -> HttpResponse:
    """An empty file with the right column names, to fill in a spreadsheet program."""
    if kind not in KINDS:
        raise Http404
    return csv_response(
        header=KINDS[kind].columns,
        rows=[],
        filename=f"{kind}-template",
        dialect=requested_dialect(request),
    )


# The last changes to targets shown under the list, with who made them.
TARGET_HISTORY = 10


@coordinators_only
def targets(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every figure of the dashboard with its target, if one is set, and the last changes."""
    current = list(Target.objects.select_related("changed_by"))
    by_metric = {target.metric: target for target in current}
    # A removed target's figure is no longer known: the history says "removed" instead.
    labels = {target.pk: target.get_metric_display() for target in current}
    return render(
        request,
        "cockpit/targets.html",
        {
            "rows": [
                (label, metric, by_metric.get(metric)) for metric, label in Target.Metric.choices
            ],
            "history": [
                (entry, labels.get(entry.event.subject_id, ""))
                for entry in history_of_kind(Target, limit=TARGET_HISTORY)
            ],
        },
    )


@coordinators_only
@require_http_methods(["GET", "POST"])
def target_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = TargetForm(request.POST or None, initial={"metric": request.GET.get("metric")})
    if not form.open_figures:
        messages.info(request, _("Every figure has a target. Change one of them instead."))
        return redirect("cockpit:targets")
    if request.method == "POST" and form.is_valid():
        try:
            services.set_target(
                metric=form.cleaned_data["metric"],
                value=form.cleaned_data["value"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except services.TargetError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The target is set. The dashboard shows it now."))
            return redirect("cockpit:targets")
    status = 400 if form.is_bound else 200
    return render(request, "cockpit/target_form.html", {"form": form}, status=status)


@coordinators_only
@require_http_methods(["GET", "POST"])
def target_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    target = access_or_404(Target.objects.all(), pk=pk)
    form = TargetForm(request.POST or None, target=target)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_target(
                target=target,
                value=form.cleaned_data["value"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except services.TargetError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The target is changed. The dashboard shows it now."))
            return redirect("cockpit:targets")
    status = 400 if form.is_bound else 200
    return render(
        request, "cockpit/target_form.html", {"form": form, "target": target}, status=status
    )


@coordinators_only
@require_http_methods(["GET", "POST"])
def target_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Asks first; the figure stays on the dashboard, without a target."""
    target = access_or_404(Target.objects.all(), pk=pk)
    if request.method == "POST":
        services.delete_target(target=target, by=request.user)
        messages.success(request, _("The target is removed."))
        return redirect("cockpit:targets")
    return render(request, "cockpit/target_delete.html", {"target": target})
