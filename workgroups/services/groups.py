"""Working groups (joining, leads, meetings, messages) and tasks (sign-up without overfilling)."""

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Model, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ankommen.accounts.models import User
from ankommen.messaging.services import notify
from volunteers.schedule import is_busy
from volunteers.selectors import has_left
from workgroups.models import Meeting, Membership, Task, TaskSignup, WorkingGroup
from workgroups.models.groups import EndReason


class WorkgroupError(Exception):
    """A rule about groups or tasks refused the change; the message says why."""


def _mail(
    user: User, occasion: str, context: dict[str, Any], key: str, about: tuple[Model, ...] = ()
) -> None:
    notify(user, occasion=occasion, context=context, key=key, about=about)


@transaction.atomic
def request_to_join(*, group: WorkingGroup, user: User, note: str = "") -> Membership:
    if Membership.objects.filter(
        group=group, user=user, state__in=[Membership.State.REQUESTED, Membership.State.ACTIVE]
    ).exists():
        raise WorkgroupError(_("You have already asked to join or are a member."))
    membership = Membership.objects.create(group=group, user=user, request_note=note.strip())
    for lead in _leads(group):
        _mail(
            lead,
            "workgroups/join_requested",
            {"group": group.name, "name": user.full_name, "url": _group_url(group)},
            f"join-requested:{membership.pk}:{lead.pk}",
            about=(user,),
        )
    return membership


def _leads(group: WorkingGroup) -> list[User]:
    return list(
        User.objects.filter(
            group_memberships__group=group,
            group_memberships__role=Membership.Role.LEAD,
            group_memberships__state=Membership.State.ACTIVE,
        )
    )


def _group_url(group: WorkingGroup) -> str:
    return settings.PORTAL_URL + group.get_absolute_url()


@transaction.atomic
def decide_join_request(*, membership: Membership, approve: bool, by: User) -> Membership:
    """A lead or coordinator decides; the volunteer hears the answer."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.state != Membership.State.REQUESTED:
        raise WorkgroupError(_("This request has already been answered."))
    membership.state = Membership.State.ACTIVE if approve else Membership.State.DECLINED
    membership.decided_by = by
    membership.decided_at = timezone.now()
    membership.save(update_fields=["state", "decided_by", "decided_at"])
    _mail(
        membership.user,
        "workgroups/join_approved" if approve else "workgroups/join_declined",
        {"group": membership.group.name, "url": _group_url(membership.group)},
        f"join-decided:{membership.pk}",
    )
    return membership


@transaction.atomic
def add_members(*, group: WorkingGroup, users: list[User], by: User) -> int:
    """Coordinators add people directly (e.g. from the card file); returns how many are new."""
    added = 0
    for user in users:
        membership = Membership.objects.filter(
            group=group, user=user, state__in=[Membership.State.REQUESTED, Membership.State.ACTIVE]
        ).first()
        if membership is None:
            Membership.objects.create(
                group=group,
                user=user,
                state=Membership.State.ACTIVE,
                decided_by=by,
                decided_at=timezone.now(),
            )
            added += 1
        elif membership.state == Membership.State.REQUESTED:
            decide_join_request(membership=membership, approve=True, by=by)
            added += 1
    return added


def set_lead(*, membership: Membership, is_lead: bool) -> None:
    if membership.state != Membership.State.ACTIVE:
        raise WorkgroupError(_("Only members can lead a group."))
    membership.role = Membership.Role.LEAD if is_lead else Membership.Role.MEMBER
    membership.save(update_fields=["role"])


def leave_group(*, membership: Membership) -> None:
    membership.state = Membership.State.LEFT
    membership.role = Membership.Role.MEMBER
    membership.save(update_fields=["state", "role"])


def record_meeting(
    *, group: WorkingGroup, by: User, attendees: list[User], **fields: Any
) -> Meeting:
    members = set(
        group.memberships.filter(state=Membership.State.ACTIVE).values_list("user_id", flat=True)
    )
    if any(person.pk not in members for person in attendees):
        raise WorkgroupError(_("Only members of the group can be marked as present."))
    meeting = Meeting.objects.create(group=group, created_by=by, **fields)
    meeting.attendees.set(attendees)
    return meeting


def message_members(*, group: WorkingGroup, by: User, subject: str, body: str) -> int:
    """An e-mail to every member through the outbox; returns how many are on their way."""
    members = User.objects.filter(
        group_memberships__group=group, group_memberships__state=Membership.State.ACTIVE
    ).distinct()
    count = 0
    with transaction.atomic():
        for member in members:
            if not member.email:
                continue
            _mail(
                member,
                "workgroups/group_message",
                {"group": group.name, "subject": subject, "body": body, "sender": by.full_name},
                f"group-message:{group.pk}:{timezone.now().isoformat()}:{member.pk}",
                about=(by,),
            )
            count += 1
    return count


def _overlaps(user: User, task: Task) -> bool:
    """Another task, a training, anything at the same time: nobody can be in two places."""
    if task.starts_at is None or task.ends_at is None:
        return False
    return is_busy(user, task.starts_at, task.ends_at)


@transaction.atomic
def sign_up_for_task(*, task: Task, user: User) -> TaskSignup:
    """Never more helpers than needed: the task row is locked, and the database checks it too."""
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.review != Task.Review.APPROVED:
        # Volunteers never see such a task; the check is for a forged request.
        raise WorkgroupError(_("This task is not open for sign-ups."))
    if task.is_closed:
        raise WorkgroupError(_("This task has been closed: it takes no new helpers."))
    if not task.is_open or task.signed_up_count >= task.helpers_needed:
        raise WorkgroupError(_("This task needs no more helpers."))
    if task.starts_at and task.starts_at <= timezone.now():
        raise WorkgroupError(_("This task has already started."))
    if task.signups.filter(user=user, cancelled_at__isnull=True).exists():
        raise WorkgroupError(_("You have already signed up for this task."))
    if has_left(user):
        raise WorkgroupError(_("You have left the network; please talk to a coordinator."))
    if _overlaps(user, task):
        raise WorkgroupError(_("You already have something else at this time."))
    signup = TaskSignup.objects.create(task=task, user=user)
    Task.objects.filter(pk=task.pk).update(signed_up_count=F("signed_up_count") + 1)
    if task.signed_up_count + 1 >= task.helpers_needed:
        Task.objects.filter(pk=task.pk).update(is_open=False)
    return signup


@transaction.atomic
def cancel_task_signup(*, signup: TaskSignup) -> None:
    task = Task.objects.select_for_update().get(pk=signup.task_id)
    signup = TaskSignup.objects.select_for_update().get(pk=signup.pk)
    if signup.cancelled_at is not None:
        raise WorkgroupError(_("This sign-up has already been cancelled."))
    _cancel_signup(task, signup)


def _cancel_signup(task: Task, signup: TaskSignup, reason: str = "") -> None:
    """Called under the task's lock: the place is free again if the task is still to come
    and has not been closed."""
    signup.cancelled_at = timezone.now()
    signup.cancel_reason = reason
    signup.save(update_fields=["cancelled_at", "cancel_reason"])
    reopen = not task.is_closed and not task.has_started
    Task.objects.filter(pk=task.pk).update(signed_up_count=F("signed_up_count") - 1, is_open=reopen)


@transaction.atomic
def end_groups_and_tasks_for_withdrawal(*, user: User) -> None:
    """Someone who left is in no group (nor leads one) and helps with no task still to come."""
    now = timezone.now()
    Membership.objects.filter(
        user=user, state__in=[Membership.State.REQUESTED, Membership.State.ACTIVE]
    ).update(
        state=Membership.State.LEFT,
        role=Membership.Role.MEMBER,
        left_at=now,
        end_reason=EndReason.VOLUNTEER_WITHDREW,
    )
    signups = (
        TaskSignup.objects.filter(user=user, cancelled_at__isnull=True)
        .filter(Q(task__starts_at__isnull=True) | Q(task__starts_at__gt=now))
        .order_by("task_id", "pk")  # tasks are locked in primary-key order
    )
    for signup in signups:
        task = Task.objects.select_for_update().get(pk=signup.task_id)
        signup = TaskSignup.objects.select_for_update().get(pk=signup.pk)
        if signup.cancelled_at is None:
            _cancel_signup(task, signup, reason=EndReason.VOLUNTEER_WITHDREW)


def is_lead_of(user: User, group: WorkingGroup) -> bool:
    return Membership.objects.filter(
        group=group, user=user, role=Membership.Role.LEAD, state=Membership.State.ACTIVE
    ).exists()


def upcoming(now: datetime | None = None) -> Q:
    now = now or timezone.now()
    return Q(starts_at__isnull=True) | Q(starts_at__gt=now)
