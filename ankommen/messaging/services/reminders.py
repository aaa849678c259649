"""Reminders: apps register where their occasions come from; beat sends each one once.

A source yields the reminders due now. Each carries a key naming its occasion (a training
session and a person, a week and a coordinator), and the outbox's idempotency key makes a
second, third or hundredth beat run over the same occasion send nothing more.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from ankommen.messaging.models import OutboxMessage
from ankommen.messaging.services.outbox import enqueue_mail


@dataclass(frozen=True)
class Reminder:
    occasion: str
    to_email: str
    template: str
    language: str
    context: dict[str, Any] = field(default_factory=dict)
    recipient: Any = None
    # The people the reminder tells its recipient about (see enqueue_mail).
    about: tuple[Any, ...] = ()


ReminderSource = Callable[[datetime], Iterable[Reminder]]

_sources: dict[str, ReminderSource] = {}


def register_reminder_source(name: str, source: ReminderSource) -> None:
    _sources[name] = source


def send_due_reminders(*, now: datetime | None = None) -> int:
    """Return how many reminders were newly queued in this run."""
    now = now or timezone.now()
    queued = 0
    for name, source in _sources.items():
        for reminder in source(now):
            key = f"reminder:{name}:{reminder.occasion}"
            with transaction.atomic():
                if OutboxMessage.objects.filter(idempotency_key=key).exists():
                    continue
                enqueue_mail(
                    to_email=reminder.to_email,
                    template=reminder.template,
                    context=reminder.context,
                    language=reminder.language,
                    recipient=reminder.recipient,
                    idempotency_key=key,
                    category=OutboxMessage.Category.REMINDER,
                    about=reminder.about,
                )
                queued += 1
    return queued
