"""Tasks: volunteers browse (fitting their profile first) and sign up; places never overfill."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ankommen.accounts.models import Role
from ankommen.accounts.permissions import access_or_404, role_required
from ankommen.http import AuthenticatedHttpRequest
from workgroups import selectors, services
from workgroups.models import Task, TaskSignup
from workgroups.permissions import can_see_task_signups

people_of_the_network = role_required(Role.VOLUNTEER, Role.COORDINATOR)


@people_of_the_network
def task_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    page = Paginator(selectors.open_tasks_for(request.user), 30).get_page(request.GET.get("page"))
    mine = set(
        TaskSignup.objects.filter(user=request.user, cancelled_at__isnull=True).values_list(
            "task_id", flat=True
        )
    )
    return render(request, "workgroups/task_list.html", {"page": page, "mine": mine})


@people_of_the_network
def task_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    task = access_or_404(
        Task.objects.select_related("theme", "district", "group").prefetch_related("languages"),
        pk=pk,
    )
    signups = None
    if can_see_task_signups(request.user, task):
        signups = task.signups.filter(cancelled_at__isnull=True).select_related("user")
    mine = task.signups.filter(user=request.user, cancelled_at__isnull=True).first()
    return render(
        request, "workgroups/task_detail.html", {"task": task, "signups": signups, "mine": mine}
    )


@role_required(Role.VOLUNTEER)
@require_POST
def task_sign_up(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    task = access_or_404(Task.objects.all(), pk=pk)
    try:
        services.sign_up_for_task(task=task, user=request.user)
    except services.WorkgroupError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Thank you! You are signed up."))
    return redirect(task)


@people_of_the_network
@require_POST
def task_cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    signup = access_or_404(
        TaskSignup.objects.filter(user=request.user, cancelled_at__isnull=True), task_id=pk
    )
    services.cancel_task_signup(signup=signup)
    messages.success(request, _("Your sign-up has been cancelled."))
    return redirect("workgroups:task_detail", pk=pk)
