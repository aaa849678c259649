"""Tasks: volunteers browse (fitting their profile first) and sign up; places never overfill.
Coordinators, and leads for their own groups, create, edit, close and reopen them."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from ankommen.accounts.models import Role
from ankommen.accounts.permissions import access_or_404, is_coordinator, role_required
from ankommen.http import AuthenticatedHttpRequest
from workgroups import selectors, services
from workgroups.forms import TaskForm
from workgroups.models import Task, TaskSignup
from workgroups.permissions import can_add_tasks, can_manage_task

people_of_the_network = role_required(Role.VOLUNTEER, Role.COORDINATOR)

CLOSED = "closed"


@people_of_the_network
def task_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Open tasks for everyone; those who keep tasks also find the closed and full ones."""
    can_add = can_add_tasks(request.user)
    showing_closed = can_add and request.GET.get("show") == CLOSED
    tasks = (
        selectors.closed_tasks_managed_by(request.user)
        if showing_closed
        else selectors.open_tasks_for(request.user)
    )
    page = Paginator(tasks, 30).get_page(request.GET.get("page"))
    mine = set(
        TaskSignup.objects.filter(user=request.user, cancelled_at__isnull=True).values_list(
            "task_id", flat=True
        )
    )
    return render(
        request,
        "workgroups/task_list.html",
        {"page": page, "mine": mine, "can_add": can_add, "showing_closed": showing_closed},
    )


@people_of_the_network
def task_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    task = access_or_404(
        selectors.tasks_visible_to(request.user)
        .select_related("theme", "district", "group", "partner")
        .prefetch_related("languages"),
        pk=pk,
    )
    manages = can_manage_task(request.user, task)
    signups = None
    if manages:
        signups = task.signups.filter(cancelled_at__isnull=True).select_related("user")
    mine = task.signups.filter(user=request.user, cancelled_at__isnull=True).first()
    return render(
        request,
        "workgroups/task_detail.html",
        {"task": task, "signups": signups, "mine": mine, "manages": manages},
    )


@role_required(Role.VOLUNTEER)
@require_POST
def task_sign_up(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    task = access_or_404(selectors.tasks_visible_to(request.user), pk=pk)
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


# Keeping tasks: coordinators, and leads for their own groups -----------------------------------


def _manageable(request: AuthenticatedHttpRequest, pk: int) -> Task:
    """Every volunteer may see a task, so refusing one to edit says nothing new: 403."""
    task = access_or_404(Task.objects.select_related("group"), pk=pk)
    if not can_manage_task(request.user, task):
        raise PermissionDenied
    return task


def _form(request: AuthenticatedHttpRequest, **kwargs: Any) -> TaskForm:
    return TaskForm(
        request.POST or None,
        groups=selectors.groups_for_tasks_of(request.user),
        group_required=not is_coordinator(request.user),
        **kwargs,
    )


def _told(request: AuthenticatedHttpRequest, count: int) -> None:
    if count:
        messages.info(
            request,
            ngettext(
                "%(count)d person who signed up has been told by e-mail.",
                "%(count)d people who signed up have been told by e-mail.",
                count,
            )
            % {"count": count},
        )


@people_of_the_network
@require_http_methods(["GET", "POST"])
def task_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """From the task list, or from a group's page with the group chosen (`?group=`)."""
    if not can_add_tasks(request.user):
        raise PermissionDenied
    form = _form(request, initial={"group": request.GET.get("group")})
    if request.method == "POST" and form.is_valid():
        try:
            task = services.create_task(by=request.user, **form.cleaned_data)
        except services.WorkgroupError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The task has been created. Volunteers can sign up now."))
            return redirect(task)
    return render(request, "workgroups/task_form.html", {"form": form})


@people_of_the_network
@require_http_methods(["GET", "POST"])
def task_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    task = _manageable(request, pk)
    title = task.title  # validating the form writes the edit onto the instance
    form = _form(request, instance=task)
    if request.method == "POST" and form.is_valid():
        try:
            told = services.update_task(task=task, by=request.user, **form.cleaned_data)
        except services.WorkgroupError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The task has been saved."))
            _told(request, told)
            return redirect("workgroups:task_detail", pk=pk)
    return render(
        request, "workgroups/task_form.html", {"form": form, "task": task, "title": title}
    )


@people_of_the_network
@require_http_methods(["GET", "POST"])
def task_close(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """First a page that says what closing does and who is told; the button on it closes."""
    task = _manageable(request, pk)
    if request.method == "POST":
        try:
            told = services.close_task(task=task, by=request.user)
        except services.WorkgroupError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _(
                    "The task has been closed: it takes no new helpers. Those who signed up "
                    "keep their place."
                ),
            )
            _told(request, told)
        return redirect("workgroups:task_detail", pk=pk)
    signed_up = task.signups.filter(cancelled_at__isnull=True).count()
    return render(
        request,
        "workgroups/task_close.html",
        {
            "task": task,
            "signed_up": signed_up,
            "list_url": reverse("workgroups:task_list"),
            "list_label": _("Tasks"),
            "detail_url": reverse("workgroups:task_detail", args=[task.pk]),
        },
    )


@people_of_the_network
@require_POST
def task_reopen(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    task = _manageable(request, pk)
    try:
        task = services.reopen_task(task=task, by=request.user)
    except services.WorkgroupError as error:
        messages.error(request, str(error))
    else:
        if task.is_open:
            messages.success(request, _("The task is open again: volunteers can sign up."))
        else:
            messages.success(
                request,
                _(
                    "The task is open again, but every place is taken: raise the number of "
                    "helpers needed to take more."
                ),
            )
    return redirect("workgroups:task_detail", pk=pk)
