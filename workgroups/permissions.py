from typing import Any

from ankommen.accounts.models import User
from ankommen.accounts.permissions import is_coordinator
from workgroups.models import Membership, Task, WorkingGroup


def _active(user: User, group: WorkingGroup, **extra: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return Membership.objects.filter(
        group=group, user=user, state=Membership.State.ACTIVE, **extra
    ).exists()


def can_manage_group(user: User, group: WorkingGroup) -> bool:
    """Coordinators manage every group; a lead only their own."""
    return is_coordinator(user) or _active(user, group, role=Membership.Role.LEAD)


def can_see_members(user: User, group: WorkingGroup) -> bool:
    return is_coordinator(user) or _active(user, group)


def can_manage_task(user: User, task: Task) -> bool:
    """Coordinators edit, close and reopen every task and see who signed up; a lead the tasks
    of their own groups."""
    return is_coordinator(user) or (task.group is not None and can_manage_group(user, task.group))


def can_add_tasks(user: User) -> bool:
    """Coordinators, and leads of at least one group (its tasks only)."""
    if is_coordinator(user):
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    return Membership.objects.filter(
        user=user, role=Membership.Role.LEAD, state=Membership.State.ACTIVE
    ).exists()


def can_manage_network(user: User) -> bool:
    """Partners, their offers and needs, and network events are kept by coordinators."""
    return is_coordinator(user)
