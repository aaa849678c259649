"""Tasks for volunteers that partner staff post, and the coordinators' review of them.

The rules of a task (times, places, who is told of a change) are workgroups' (create_task,
update_task); what this module adds: a partner's task waits for review, and the organisation's
staff hear by e-mail when it is approved or declined.

- Posting creates the task with partner=the organisation, review=pending, is_open=false:
  volunteers see nothing of it, and it counts nowhere, until a coordinator approves it.
- Editing a pending task keeps it pending. Editing a declined task sends it back for review
  (the reason is cleared). Editing an approved task is allowed like a coordinator's edit (time,
  place, helpers needed; whoever signed up is told of a new time or place) and needs no new
  review: the organisation keeps its own task up to date.
"""

from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from ankommen.accounts.models import User
from ankommen.messaging.services import notify
from partners.models import PartnerStaff
from partners.services.desk import check_acts_for
from workgroups import services as network
from workgroups.models import Partner, Task


def post_task(*, partner: Partner, by: User, **fields: Any) -> Task:
    """A task the organisation asks volunteers' help for, once a coordinator approves it."""
    check_acts_for(by, partner)
    return network.create_task(by=by, partner=partner, **fields)


@transaction.atomic
def edit_task(*, task: Task, by: User, **fields: Any) -> int:
    """Returns how many who signed up were told of a new time or place (approved tasks)."""
    assert task.partner is not None  # noqa: S101 (selectors give only partners' tasks)
    check_acts_for(by, task.partner)
    told = network.update_task(task=task, by=by, **fields)
    network.resubmit_task(task=task, by=by)
    return told


def close_task(*, task: Task, by: User) -> int:
    """The organisation closes its own task like a coordinator would: no new helpers, those
    signed up keep their place and are told; returns how many were told."""
    assert task.partner is not None  # noqa: S101 (selectors give only partners' tasks)
    check_acts_for(by, task.partner)
    return network.close_task(task=task, by=by)


def reopen_task(*, task: Task, by: User) -> Task:
    assert task.partner is not None  # noqa: S101 (selectors give only partners' tasks)
    check_acts_for(by, task.partner)
    return network.reopen_task(task=task, by=by)


def approve_task(*, task: Task, by: User) -> Task:
    """Volunteers see it and sign up from now on; the organisation's staff are told."""
    approved = network.approve_task(task=task, by=by)
    _tell_staff(approved, "partners/task_approved")
    return approved


def decline_task(*, task: Task, by: User, reason: str) -> Task:
    declined = network.decline_task(task=task, by=by, reason=reason)
    _tell_staff(declined, "partners/task_declined")
    return declined


def _tell_staff(task: Task, occasion: str) -> int:
    """Everyone acting for the organisation now; returns how many were reached."""
    staff = (
        PartnerStaff.objects.active()
        .filter(partner=task.partner)
        .select_related("user")
        .order_by("pk")
    )
    stamp = timezone.now().isoformat()
    context = {
        "title": task.title_de or task.title,  # type: ignore[attr-defined]
        "partner": task.partner.name if task.partner else task.organisation,
        "reason": task.review_note,
        "url": settings.PORTAL_URL + reverse("partners:task_detail", args=[task.pk]),
    }
    told = 0
    for member in staff:
        reached = notify(
            member.user,
            occasion=occasion,
            context=context,
            key=f"{occasion}:{task.pk}:{stamp}:{member.user_id}",
        )
        told += reached is not None
    return told
