"""Who is already taken at a time, whichever app gave them the time (see hooks.BUSY)."""

from collections.abc import Iterable
from datetime import datetime

from ankommen.accounts.models import User
from volunteers.hooks import BUSY


def is_busy(user: User, starts_at: datetime, ends_at: datetime) -> bool:
    return any(
        provider(starts_at, ends_at).filter(user=user).exists() for provider in BUSY.providers()
    )


def busy_among(user_ids: Iterable[int], starts_at: datetime, ends_at: datetime) -> set[int]:
    """The ones of these accounts that are taken: one query per app, whatever their number."""
    ids = list(user_ids)
    busy: set[int] = set()
    for provider in BUSY.providers():
        busy.update(
            provider(starts_at, ends_at).filter(user__in=ids).values_list("user", flat=True)
        )
    return busy
