"""Reminders: apps declare what is due, to whom; beat tells each person once, through notify.

A source yields the reminders due now. Each carries a key naming its occasion (a training
session and a person, a week and a coordinator), and the outbox's idempotency key makes a
second, third or hundredth beat run over the same occasion send nothing more.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from ankommen.hooks import Hook, declare
from ankommen.messaging.channels import Recipient
from ankommen.messaging.models import OutboxMessage
from ankommen.messaging.services.notify import notify


@dataclass(frozen=True)
class DueReminder:
    """Whom to remind of what; the source chose it because it is due now."""

    person: Recipient
    occasion: str
    # Unique within the source: the same key on a later beat run sends nothing more.
    key: str
    context: dict[str, Any] = field(default_factory=dict)
    # The people the reminder tells its recipient about (see enqueue_mail).
    about: tuple[models.Model | None, ...] = ()


@dataclass(frozen=True)
class ReminderSource:
    # Part of every reminder's idempotency key: renaming a source would send its reminders again.
    name: str
    due: Callable[[datetime], Iterable[DueReminder]]


REMINDERS: Hook[ReminderSource] = declare(
    "messaging.reminders",
    "What is due to be told to whom (a session tomorrow, a clearance expiring), asked by beat "
    "every few minutes; each occasion reaches each person once.",
    key=lambda source: source.name,
)


def send_due_reminders(*, now: datetime | None = None) -> int:
    """Return how many reminders were newly queued in this run."""
    now = now or timezone.now()
    queued = 0
    for source in REMINDERS.providers():
        for reminder in source.due(now):
            with transaction.atomic():
                reached = notify(
                    reminder.person,
                    occasion=reminder.occasion,
                    context=reminder.context,
                    # Unchanged since reminders were first sent: none goes out twice.
                    key=f"reminder:{source.name}:{reminder.key}",
                    category=OutboxMessage.Category.REMINDER,
                    about=[person for person in reminder.about if person is not None],
                )
            queued += reached is not None and reached.is_new
    return queued
