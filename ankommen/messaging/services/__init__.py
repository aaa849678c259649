"""Public services of the messaging app; other apps import from here."""

from ankommen.messaging.channels import Contact
from ankommen.messaging.services.notify import is_reachable, notify
from ankommen.messaging.services.outbox import (
    dispatch_messages,
    enqueue_mail,
    enqueue_mail_to_user,
)
from ankommen.messaging.services.reminders import REMINDERS, DueReminder, ReminderSource

__all__ = [
    "REMINDERS",
    "Contact",
    "DueReminder",
    "ReminderSource",
    "dispatch_messages",
    "enqueue_mail",
    "enqueue_mail_to_user",
    "is_reachable",
    "notify",
]
