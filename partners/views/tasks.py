"""Tasks for volunteers that partner staff post for their organisation; volunteers see them
once a coordinator approves (partners.services.tasks says what editing does)."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from ankommen.accounts.permissions import access_or_404
from ankommen.http import AuthenticatedHttpRequest
from partners.forms import PartnerTaskForm
from partners.permissions import partner_staff_only, partners_acted_for
from partners.selectors.desk import helpers_of, tasks_kept_by
from partners.services import tasks as services
from partners.views.offers import REFUSALS
from workgroups.models import Task


@partner_staff_only
@require_http_methods(["GET", "POST"])
def task_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partner = access_or_404(partners_acted_for(request.user), pk=pk)
    form = PartnerTaskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            task = services.post_task(partner=partner, by=request.user, **form.cleaned_data)
        except REFUSALS as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _(
                    "The task has been sent to the coordinators. Volunteers see it once it is "
                    "approved; you will hear by e-mail."
                ),
            )
            return redirect("partners:task_detail", pk=task.pk)
    return render(request, "partners/task_form.html", {"form": form, "partner": partner})


@partner_staff_only
def task_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The task, its review, and who signed up (name and e-mail address, to reach them)."""
    task = access_or_404(tasks_kept_by(request.user).prefetch_related("languages"), pk=pk)
    approved = task.review == Task.Review.APPROVED
    return render(
        request,
        "partners/task_detail.html",
        {"task": task, "helpers": list(helpers_of(task)) if approved else []},
    )


@partner_staff_only
@require_http_methods(["GET", "POST"])
def task_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    task = access_or_404(tasks_kept_by(request.user), pk=pk)
    title = task.title  # validating the form writes the edit onto the instance
    review = task.review
    form = PartnerTaskForm(request.POST or None, instance=task)
    if request.method == "POST" and form.is_valid():
        try:
            told = services.edit_task(task=task, by=request.user, **form.cleaned_data)
        except REFUSALS as error:
            form.add_error(None, str(error))
        else:
            if review == Task.Review.DECLINED:
                messages.success(request, _("The task has been saved and sent for review again."))
            else:
                messages.success(request, _("The task has been saved."))
            if told:
                messages.info(
                    request,
                    ngettext(
                        "%(count)d person who signed up has been told by e-mail.",
                        "%(count)d people who signed up have been told by e-mail.",
                        told,
                    )
                    % {"count": told},
                )
            return redirect("partners:task_detail", pk=pk)
    return render(
        request,
        "partners/task_form.html",
        {"form": form, "partner": task.partner, "task": task, "title": title, "review": review},
    )


@partner_staff_only
@require_http_methods(["GET", "POST"])
def task_close(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The page that says what closing does and who is told, as for coordinators; its button
    closes. Only an approved task: one still under review is not shown to anyone yet."""
    task = access_or_404(tasks_kept_by(request.user).filter(review=Task.Review.APPROVED), pk=pk)
    if request.method == "POST":
        try:
            told = services.close_task(task=task, by=request.user)
        except REFUSALS as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _(
                    "The task has been closed: it takes no new helpers. Those who signed up "
                    "keep their place."
                ),
            )
            if told:
                messages.info(
                    request,
                    ngettext(
                        "%(count)d person who signed up has been told by e-mail.",
                        "%(count)d people who signed up have been told by e-mail.",
                        told,
                    )
                    % {"count": told},
                )
        return redirect("partners:task_detail", pk=pk)
    return render(
        request,
        "workgroups/task_close.html",
        {
            "task": task,
            "signed_up": task.signups.filter(cancelled_at__isnull=True).count(),
            "list_url": reverse("partners:home"),
            "list_label": _("My organisation"),
            "detail_url": reverse("partners:task_detail", args=[task.pk]),
        },
    )


@partner_staff_only
@require_POST
def task_reopen(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    task = access_or_404(tasks_kept_by(request.user).filter(review=Task.Review.APPROVED), pk=pk)
    try:
        task = services.reopen_task(task=task, by=request.user)
    except REFUSALS as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The task is open again: volunteers can sign up."))
    return redirect("partners:task_detail", pk=pk)
