"""How change entries are gathered and written: one entry per record and change, whoever
makes it. A service states what it did to people's records and who did it
(`ankommen.audit.services.recorded_by`); the tracking layer (`ankommen.audit.tracking`) notices
every save and bulk write of a person model. Both end up in a `Trail`, written once when the
block that opened it ends: one entry per record and action, with what the service stated and
anything the tracking noticed beyond it, so a service that names too little loses nothing."""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import models, transaction

from ankommen.audit.models import AuditEvent

# Bookkeeping that changes on its own, not a change anyone made to the person's data
# (`most_urgent_need` follows the needs, kept by refugees.urgency).
IGNORED = frozenset(
    {
        "updated_at",
        "last_login",
        "last_activity_at",
        "stage_changed_at",
        "password",
        "most_urgent_need",
    }
)

Key = tuple[str, int]
# Per record: the actions done to it, each with the fields it changed.
Actions = dict[str, set[str]]
ORDER = (AuditEvent.Action.CREATE, AuditEvent.Action.CHANGE, AuditEvent.Action.DELETE)

# The person of the current request, set by AuditActorMiddleware: only the tracking layer
# falls back on it, for saves that no service recorded (the admin, forms saved in views).
_actor: ContextVar[int | None] = ContextVar("audit_actor", default=None)


def current_actor() -> int | None:
    return _actor.get()


def key_of(subject: models.Model) -> Key:
    return (subject._meta.model_name or "", subject.pk)


@dataclass
class Trail:
    """What one service call (or one admin save) did to people's records, and who did it."""

    actor_id: int | None
    stated: dict[Key, Actions] = field(default_factory=dict)
    noticed: dict[Key, Actions] = field(default_factory=dict)

    def created(self, subject: models.Model) -> None:
        self.stated.setdefault(key_of(subject), {})[AuditEvent.Action.CREATE] = set()

    def deleted(self, subject: models.Model) -> None:
        """Stated before the row goes: its key is known only until then."""
        self.stated.setdefault(key_of(subject), {})[AuditEvent.Action.DELETE] = set()

    def changed(self, subject: models.Model, fields: Iterable[str]) -> None:
        """Named fields that changed; bookkeeping fields are left out, as the tracking does."""
        actions = self.stated.setdefault(key_of(subject), {})
        actions.setdefault(AuditEvent.Action.CHANGE, set()).update(
            name for name in fields if name not in IGNORED
        )

    def assign(self, subject: models.Model, **values: Any) -> None:
        """Sets the values on the record and states those that differ from what it held, so
        a service names exactly what it changed (a related record counts by its id)."""
        changed = []
        for name, value in values.items():
            attname = subject._meta.get_field(name).attname
            new = value.pk if isinstance(value, models.Model) else value
            if getattr(subject, attname) != new:
                changed.append(attname)
            setattr(subject, name, value)
        self.changed(subject, changed)

    def assign_related(
        self, subject: models.Model, name: str, chosen: Iterable[models.Model]
    ) -> None:
        """A many-to-many field becomes exactly the chosen entries; stated if it changed."""
        manager = getattr(subject, name)
        wanted = {item.pk for item in chosen}
        if set(manager.values_list("pk", flat=True)) != wanted:
            manager.set(wanted)
            self.changed(subject, [name])

    def stated_fields(self, subject: models.Model) -> set[str]:
        return self.stated.get(key_of(subject), {}).get(AuditEvent.Action.CHANGE, set())

    def notice(self, changes: dict[Key, Actions]) -> None:
        _merge(self.noticed, changes)

    def events(self) -> list[AuditEvent]:
        merged: dict[Key, Actions] = {}
        _merge(merged, self.stated)
        _merge(merged, self.noticed)
        return _events(self.actor_id, merged)


def _merge(into: dict[Key, Actions], changes: dict[Key, Actions]) -> None:
    for key, actions in changes.items():
        mine = into.setdefault(key, {})
        for action, fields in actions.items():
            mine.setdefault(action, set()).update(fields)


def _details(action: str, fields: set[str]) -> dict[str, list[str]]:
    # Field names only, never their values (which may be special-category data).
    if action != AuditEvent.Action.CHANGE:
        return {}
    # A translated text's German column changes with the text itself: named once, by the
    # text's name; another language's version is named by its column (`title_ar`).
    source = f"_{settings.MODELTRANSLATION_DEFAULT_LANGUAGE}"
    return {
        "fields": sorted(
            name
            for name in fields
            if not (name.endswith(source) and name.removesuffix(source) in fields)
        )
    }


def _events(actor_id: int | None, changes: dict[Key, Actions]) -> list[AuditEvent]:
    return [
        AuditEvent(
            actor_id=actor_id,
            action=action,
            subject_type=subject_type,
            subject_id=subject_id,
            details=_details(action, actions[action]),
        )
        for (subject_type, subject_id), actions in changes.items()
        for action in ORDER
        if action in actions and (action != AuditEvent.Action.CHANGE or actions[action])
    ]


_open: ContextVar[Trail | None] = ContextVar("audit_trail", default=None)


@contextmanager
def opened(actor_id: int | None) -> Iterator[Trail]:
    """A trail for the block, written in the block's transaction when it succeeds. Inside an
    open trail the block joins it: a service called by another (an import registering a
    volunteer, an erasure withdrawing one) is part of the outer change, by its actor."""
    trail = _open.get()
    if trail is not None:
        yield trail
        return
    trail = Trail(actor_id)
    token = _open.set(trail)
    try:
        with transaction.atomic():
            yield trail
            AuditEvent.objects.bulk_create(trail.events(), batch_size=1000)
    finally:
        _open.reset(token)


def open_trail() -> Trail | None:
    return _open.get()


def notice(changes: dict[Key, Actions]) -> None:
    """The tracking layer's findings: part of the open trail, or written now with the request's
    person as the actor (nobody, in a shell or a worker)."""
    trail = _open.get()
    if trail is not None:
        trail.notice(changes)
        return
    AuditEvent.objects.bulk_create(_events(current_actor(), changes), batch_size=1000)
