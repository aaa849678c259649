"""Coordinators approve or decline the tasks partner organisations post."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ankommen.accounts.models import Role
from ankommen.accounts.permissions import access_or_404, role_required
from ankommen.http import AuthenticatedHttpRequest
from partners.forms import DeclineForm
from partners.services import tasks as services
from workgroups.selectors import tasks_to_review
from workgroups.services import WorkgroupError

coordinators_only = role_required(Role.COORDINATOR)


@coordinators_only
def task_review(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "partners/task_review.html", {"tasks": list(tasks_to_review())})


@coordinators_only
@require_POST
def task_approve(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    task = access_or_404(tasks_to_review(), pk=pk)
    try:
        approved = services.approve_task(task=task, by=request.user)
    except WorkgroupError as error:
        messages.error(request, str(error))
    else:
        if approved.is_open:
            messages.success(
                request,
                _("The task has been approved: volunteers can sign up. Its organisation is told."),
            )
        else:
            messages.warning(
                request,
                _(
                    "The task has been approved, but it has begun already and takes no "
                    "sign-ups. Its organisation is told."
                ),
            )
    return redirect("partners:task_review")


@coordinators_only
@require_http_methods(["GET", "POST"])
def task_decline(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    task = access_or_404(tasks_to_review(), pk=pk)
    form = DeclineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.decline_task(task=task, by=request.user, reason=form.cleaned_data["reason"])
        except WorkgroupError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("The task has been declined. Its organisation is told why.")
            )
            return redirect("partners:task_review")
    return render(request, "partners/task_decline.html", {"task": task, "form": form})
