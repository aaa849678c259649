"""A person's history from the audit trail, for their export: what was done with their
records, when, and by which account (an id: the actors are other people)."""

from typing import Any

from django.db import models

from ankommen.audit.selectors import events_about

MODELS = ("audit.AuditEvent",)


def export_history(*records: models.Model | None) -> list[dict[str, Any]]:
    return [
        {
            "at": event.at.isoformat(),
            "action": event.action,
            "record": f"{event.subject_type} {event.subject_id}",
            "by_account": event.actor_id,
            "details": event.details,
        }
        for event in events_about(*records).order_by("at", "pk")
    ]


def keep_history(*records: models.Model | None) -> None:
    """The trail is append-only and holds ids and field names, never values: it stays, as
    the proof of what was done, the erasure included."""
