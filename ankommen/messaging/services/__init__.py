"""Public services of the messaging app; other apps import from here."""

from ankommen.messaging.channels import Contact
from ankommen.messaging.services.notify import is_reachable, notify
from ankommen.messaging.services.outbox import (
    dispatch_messages,
    enqueue_mail,
    enqueue_mail_to_user,
)
from ankommen.messaging.services.reminders import DueReminder, register_reminder_source

__all__ = [
    "Contact",
    "DueReminder",
    "dispatch_messages",
    "enqueue_mail",
    "enqueue_mail_to_user",
    "is_reachable",
    "notify",
    "register_reminder_source",
]
