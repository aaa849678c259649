"""Reading the audit log: what happened to one person's record, and who did it."""

from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import ForeignObjectRel, OuterRef, Q, QuerySet, Subquery

from ankommen.audit.models import AuditEvent

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class _ActorName(TypedDict):
    actor_name: str | None


# What was done to the record itself, as opposed to who looked at it or took it out.
CHANGES = (
    AuditEvent.Action.CREATE,
    AuditEvent.Action.CHANGE,
    AuditEvent.Action.DELETE,
    AuditEvent.Action.ERASE,
)


def events_about(
    *subjects: models.Model | None,
) -> "QuerySet[WithAnnotations[AuditEvent, _ActorName]]":
    """Every entry about any of these records (a person's record and their account), newest
    first, each with `actor_name`."""
    from ankommen.accounts.models import User  # noqa: PLC0415 (the kernel's own user model)

    about = Q(pk__in=[])
    for subject in subjects:
        if subject is not None:
            about |= Q(subject_type=subject._meta.model_name, subject_id=subject.pk)
    actor_name = User.objects.filter(pk=OuterRef("actor_id")).values("full_name")[:1]
    return AuditEvent.objects.filter(about).annotate(actor_name=Subquery(actor_name))


def log_for(subject: models.Model, limit: int = 50) -> list[tuple[AuditEvent, str]]:
    """The newest entries about a record, each with who did it, in one query."""
    events = events_about(subject)[:limit]
    return [(event, event.actor_name or "") for event in events]


@dataclass(frozen=True)
class HistoryEntry:
    event: AuditEvent
    actor_name: str
    fields: list[str]  # the changed fields' labels, in the reader's language


def _label(model: type[models.Model], name: str) -> str:
    """A field's label, or a part of the record (household members, languages) by its name."""
    try:
        field = model._meta.get_field(name.removesuffix("_id"))
    except FieldDoesNotExist:
        return name
    if isinstance(field, ForeignObjectRel):
        # Django's related_model of a reverse relation, typed as the model holding the key.
        return str(field.field.model._meta.verbose_name_plural)
    return str(getattr(field, "verbose_name", name))


def history_of(subject: models.Model, limit: int = 50) -> list[HistoryEntry]:
    """Who created or changed the record and which fields, newest first, in one query; reads
    do not push changes out of it."""
    events = events_about(subject).filter(action__in=CHANGES)
    return [
        HistoryEntry(
            event=event,
            actor_name=event.actor_name or "",
            fields=[_label(type(subject), name) for name in event.details.get("fields", [])],
        )
        for event in events[:limit]
    ]


def history_of_kind(model: type[models.Model], limit: int = 10) -> list[HistoryEntry]:
    """Who created, changed or deleted records of one kind (the settings coordinators keep),
    newest first, in one query; deleted records are included."""
    from ankommen.accounts.models import User  # noqa: PLC0415 (the kernel's own user model)

    actor_name = User.objects.filter(pk=OuterRef("actor_id")).values("full_name")[:1]
    events = AuditEvent.objects.filter(
        subject_type=model._meta.model_name, action__in=CHANGES
    ).annotate(actor_name=Subquery(actor_name))
    return [
        HistoryEntry(
            event=event,
            actor_name=event.actor_name or "",
            fields=[_label(model, name) for name in event.details.get("fields", [])],
        )
        for event in events[:limit]
    ]
