"""Public services of the messaging app; other apps import from here."""

from ankommen.messaging.services.outbox import (
    dispatch_messages,
    enqueue_mail,
    enqueue_mail_to_user,
)
from ankommen.messaging.services.reminders import Reminder, register_reminder_source

__all__ = [
    "Reminder",
    "dispatch_messages",
    "enqueue_mail",
    "enqueue_mail_to_user",
    "register_reminder_source",
]
