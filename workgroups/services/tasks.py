"""Tasks kept in the portal by coordinators and by the leads of the task's working group:
created, changed, closed and reopened. Every change is one audit entry by whoever made it.

A partner organisation's staff post tasks too (`partner=`, see partners.services.tasks): such
a task waits for a coordinator's review and takes no sign-up, and is shown to no volunteer,
until it is approved; a declined task says why and may be changed and sent again.

Closing a task stops new sign-ups, whatever places are left. Nobody is dropped: those signed
up keep their place (their sign-up is not cancelled) and are told by e-mail, as they are when
the time or place changes. Reopening takes sign-ups again while places are left.
"""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ankommen.accounts.models import User
from ankommen.audit import services as audit
from ankommen.messaging.services import notify
from ankommen.translated_content import all_versions, in_source_language
from ankommen.vocabulary.models import Language
from translations import services as translation_work
from workgroups.models import Partner, Task, WorkingGroup
from workgroups.selectors import groups_for_tasks_of
from workgroups.services.groups import WorkgroupError


def _check_group(by: User, group: WorkingGroup | None) -> None:
    """A lead's task belongs to a group they lead, or they could not keep it afterwards."""
    allowed = groups_for_tasks_of(by)
    if group is None:
        if not by.is_coordinator:
            raise WorkgroupError(_("Please choose one of the groups you lead."))
        return
    if not allowed.filter(pk=group.pk).exists():
        raise WorkgroupError(_("You can only add tasks to the groups you lead."))


def _check_times(starts_at: datetime | None, ends_at: datetime | None, *, moved: bool) -> None:
    if moved and starts_at is not None and starts_at <= timezone.now():
        raise WorkgroupError(_("The task must start in the future."))
    if ends_at is not None and (starts_at is None or ends_at <= starts_at):
        raise WorkgroupError(_("The end must be after the start."))


def _check_places(helpers_needed: int, signed_up: int) -> None:
    if helpers_needed < 1:
        raise WorkgroupError(_("A task needs at least one helper."))
    if helpers_needed < signed_up:
        raise WorkgroupError(
            ngettext(
                "%(count)d person has signed up: the task needs at least %(count)d helper.",
                "%(count)d people have signed up: the task needs at least %(count)d helpers.",
                signed_up,
            )
            % {"count": signed_up}
        )


def _takes_sign_ups(task: Task) -> bool:
    """What `is_open` must say: approved, not closed, not begun, a place left."""
    return (
        task.review == Task.Review.APPROVED
        and not task.is_closed
        and not task.has_started
        and task.places_left > 0
    )


def _minute(when: datetime | None) -> datetime | None:
    return when.replace(second=0, microsecond=0) if when is not None else None


@transaction.atomic
def create_task(
    *,
    by: User,
    title: str,
    group: WorkingGroup | None = None,
    languages: Iterable[Language] = (),
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    helpers_needed: int = 1,
    partner: Partner | None = None,
    **fields: Any,
) -> Task:
    """A task volunteers can sign up for at once. `fields` are the task's other fields and the
    texts in other languages (`title_ar=...`); title and description are the German ones.

    With `partner` (the caller checked that `by` acts for it) the organisation posts it: no
    group, and it waits for a coordinator's review, open to nobody until approved."""
    if partner is None:
        _check_group(by, group)
    else:
        _check_partner_active(partner)
        if group is not None:
            raise WorkgroupError(_("A partner organisation's task belongs to no working group."))
        fields = {"organisation": partner.name, **fields}
        fields.update(partner=partner, review=Task.Review.PENDING, is_open=False)
    _check_times(starts_at, ends_at, moved=True)
    _check_places(helpers_needed, 0)
    with audit.recorded_by(by) as trail, in_source_language():
        task = Task.objects.create(
            title=title,
            group=group,
            starts_at=starts_at,
            ends_at=ends_at,
            helpers_needed=helpers_needed,
            created_by=by,
            **fields,
        )
        task.languages.set(languages)
        trail.created(task)
    translation_work.sync_record(task, by=by)
    return task


@transaction.atomic
def update_task(*, task: Task, by: User, languages: Iterable[Language] = (), **fields: Any) -> int:
    """The stored task is compared with the edit, so the audit names what really changed. A new
    time or place is told to everyone signed up; returns how many were told. Fewer helpers
    than have signed up is refused: nobody loses their place by an edit."""
    stored = Task.objects.select_for_update().get(pk=task.pk)
    if "group" in fields and fields["group"] != stored.group:
        _check_group(by, fields["group"])
    starts_at = fields.get("starts_at", stored.starts_at)
    ends_at = fields.get("ends_at", stored.ends_at)
    # The form gives minutes: a task entered elsewhere with seconds has not moved.
    moved = (_minute(starts_at), _minute(ends_at)) != (
        _minute(stored.starts_at),
        _minute(stored.ends_at),
    )
    _check_times(starts_at, ends_at, moved=_minute(starts_at) != _minute(stored.starts_at))
    _check_places(fields.get("helpers_needed", stored.helpers_needed), stored.signed_up_count)
    relocated = fields.get("where", stored.where) != stored.where
    # Title and description are the German ones; the versions are their own fields.
    with audit.recorded_by(by) as trail, in_source_language():
        trail.assign(stored, **fields)
        trail.assign(stored, is_open=_takes_sign_ups(stored))
        stored.save()
        trail.assign_related(stored, "languages", languages)
    translation_work.sync_record(stored, by=by)
    if not (moved or relocated) or stored.has_started:
        return 0
    stamp = timezone.now().isoformat()
    return _tell_helpers(stored, "workgroups/task_changed", f"task-changed:{stamp}")


@transaction.atomic
def close_task(*, task: Task, by: User) -> int:
    """No new sign-ups, whatever places are left, until it is reopened. Those signed up keep
    their place and are told, if the task is still to come; returns how many were told."""
    stored = Task.objects.select_for_update().get(pk=task.pk)
    if stored.is_closed:
        raise WorkgroupError(_("This task has already been closed."))
    with audit.recorded_by(by) as trail:
        trail.assign(stored, closed_at=timezone.now(), is_open=False)
        stored.save(update_fields=["closed_at", "is_open"])
    if stored.has_started:
        return 0
    stamp = timezone.now().isoformat()
    return _tell_helpers(stored, "workgroups/task_closed", f"task-closed:{stamp}")


@transaction.atomic
def reopen_task(*, task: Task, by: User) -> Task:
    """It takes sign-ups again while places are left. Nobody is told: those signed up kept
    their place all along."""
    stored = Task.objects.select_for_update().get(pk=task.pk)
    if not stored.is_closed:
        raise WorkgroupError(_("This task has not been closed."))
    if stored.has_started:
        raise WorkgroupError(_("This task has already started."))
    with audit.recorded_by(by) as trail:
        trail.assign(stored, closed_at=None)
        trail.assign(stored, is_open=_takes_sign_ups(stored))
        stored.save(update_fields=["closed_at", "is_open"])
    return stored


def _check_partner_active(partner: Partner) -> None:
    if not Partner.objects.filter(pk=partner.pk, is_active=True).exists():
        raise WorkgroupError(_("This partner organisation has been retired: it cannot post tasks."))


@transaction.atomic
def approve_task(*, task: Task, by: User) -> Task:
    """A coordinator approves a partner's task: volunteers see it and sign up from now on,
    unless it has begun meanwhile."""
    stored = Task.objects.select_for_update().get(pk=task.pk)
    if stored.review == Task.Review.APPROVED:
        raise WorkgroupError(_("This task has already been approved."))
    with audit.recorded_by(by) as trail:
        trail.assign(stored, review=Task.Review.APPROVED, review_note="", reviewed_by=by)
        trail.assign(stored, is_open=_takes_sign_ups(stored))
        stored.save(update_fields=["review", "review_note", "reviewed_by", "is_open"])
    return stored


@transaction.atomic
def decline_task(*, task: Task, by: User, reason: str) -> Task:
    """A coordinator declines a partner's task that waits for review, saying why; the
    organisation may change it and send it again."""
    stored = Task.objects.select_for_update().get(pk=task.pk)
    if stored.review != Task.Review.PENDING:
        raise WorkgroupError(_("Only a task waiting for review can be declined."))
    reason = " ".join(reason.split())
    if not reason:
        raise WorkgroupError(_("Please say why the task is declined."))
    with audit.recorded_by(by) as trail:
        trail.assign(stored, review=Task.Review.DECLINED, review_note=reason, reviewed_by=by)
        stored.save(update_fields=["review", "review_note", "reviewed_by"])
    return stored


@transaction.atomic
def resubmit_task(*, task: Task, by: User) -> Task:
    """A declined task, changed by its organisation, waits for a coordinator again."""
    stored = Task.objects.select_for_update().get(pk=task.pk)
    if stored.review != Task.Review.DECLINED:
        return stored
    with audit.recorded_by(by) as trail:
        trail.assign(stored, review=Task.Review.PENDING, review_note="", reviewed_by=None)
        stored.save(update_fields=["review", "review_note", "reviewed_by"])
    return stored


def _tell_helpers(task: Task, occasion: str, key: str) -> int:
    """Everyone signed up; the mail names the task in their language when it is written."""
    context = {
        "title": all_versions(task, "title"),
        "starts_at": timezone.localtime(task.starts_at).isoformat() if task.starts_at else "",
        "schedule": task.schedule,
        "where": task.where,
        "url": settings.PORTAL_URL + task.get_absolute_url(),
    }
    signups = task.signups.filter(cancelled_at__isnull=True).select_related("user").order_by("pk")
    told = 0
    for signup in signups:
        reached = notify(
            signup.user, occasion=occasion, context=context, key=f"{key}:{task.pk}:{signup.pk}"
        )
        told += reached is not None
    return told
