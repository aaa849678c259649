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


ReminderSource = Callable[[datetime], Iterable[DueReminder]]

_sources: dict[str, ReminderSource] = {}


def register_reminder_source(name: str, source: ReminderSource) -> None:
    _sources[name] = source


def send_due_reminders(*, now: datetime | None = None) -> int:
    """Return how many reminders were newly queued in this run."""
    now = now or timezone.now()
    queued = 0
    for name, source in _sources.items():
        for reminder in source(now):
            with transaction.atomic():
                reached = notify(
                    reminder.person,
                    occasion=reminder.occasion,
                    context=reminder.context,
                    # Unchanged since reminders were first sent: none goes out twice.
                    key=f"reminder:{name}:{reminder.key}",
                    category=OutboxMessage.Category.REMINDER,
                    about=[person for person in reminder.about if person is not None],
                )
            queued += reached is not None and reached.is_new
    return queued
