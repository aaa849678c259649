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


def can_see_task_signups(user: User, task: Task) -> bool:
    return is_coordinator(user) or (task.group is not None and can_manage_group(user, task.group))


def can_manage_network(user: User) -> bool:
    """Partners, their offers and needs, and network events are kept by coordinators."""
    return is_coordinator(user)
