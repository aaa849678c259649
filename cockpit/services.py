"""What coordinators set for the dashboard: the targets the figures are measured against.
Each change is audited with who made it, and the dashboard shows it on the next visit."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ankommen.accounts.models import User
from ankommen.audit import services as audit
from cockpit import dashboard
from cockpit.models import Target


class TargetError(Exception):
    """A rule about targets refused the change; the message says why."""


@transaction.atomic
def set_target(*, metric: str, value: int, note: str, by: User) -> Target:
    """One target per figure: a second one for the same figure is refused, not merged."""
    if Target.objects.select_for_update().filter(metric=metric).exists():
        raise TargetError(
            _("There is already a target for this figure. Please change that one instead.")
        )
    target = Target(metric=metric, value=value, note=note.strip(), changed_by=by)
    _validate(target)
    with audit.recorded_by(by) as trail:
        target.save()
        trail.created(target)
    transaction.on_commit(dashboard.forget)
    return target


@transaction.atomic
def change_target(*, target: Target, value: int, note: str, by: User) -> Target:
    with audit.recorded_by(by) as trail:
        trail.assign(target, value=value, note=note.strip())
        target.changed_by = by
        _validate(target)
        target.save()
    transaction.on_commit(dashboard.forget)
    return target


@transaction.atomic
def delete_target(*, target: Target, by: User) -> None:
    """The figure is shown without a target again."""
    with audit.recorded_by(by) as trail:
        trail.deleted(target)
        target.delete()
    transaction.on_commit(dashboard.forget)


def _validate(target: Target) -> None:
    """The model's bounds (at least 1, at most MAX_TARGET), as one message."""
    try:
        target.full_clean(exclude=["changed_by"], validate_unique=False)
    except ValidationError as error:
        raise TargetError(" ".join(error.messages)) from error
