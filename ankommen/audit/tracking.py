"""Every change to a person's record, whoever makes it and through whichever path that saves a
model (forms, services, the admin). Feature apps name their person models with `track`."""

from typing import Any

from django.db import models
from django.db.models.signals import post_delete, post_save, pre_save

from ankommen.audit.models import AuditEvent
from ankommen.audit.services import record

# Bookkeeping that changes on its own, not a change anyone made to the person's data.
IGNORED = frozenset(
    {"updated_at", "last_login", "last_activity_at", "stage_changed_at", "password"}
)
_OLD = "_audit_old_values"


def track(model: type[models.Model]) -> None:
    uid = f"audit-{model._meta.label}"
    pre_save.connect(_remember, sender=model, dispatch_uid=uid)
    post_save.connect(_saved, sender=model, dispatch_uid=uid)
    post_delete.connect(_deleted, sender=model, dispatch_uid=uid)


def _fields(instance: models.Model) -> list[str]:
    return [
        field.attname
        for field in instance._meta.concrete_fields
        if field.attname not in IGNORED and not field.primary_key
    ]


def _remember(sender: Any, instance: models.Model, raw: bool = False, **kwargs: Any) -> None:
    """The stored values before the save: one query, skipped for bookkeeping-only saves."""
    setattr(instance, _OLD, None)
    if raw or instance.pk is None:
        return
    fields = _fields(instance)
    update_fields = kwargs.get("update_fields")
    if update_fields is not None:
        fields = [
            name
            for name in fields
            if name in update_fields or name.removesuffix("_id") in update_fields
        ]
    if fields:
        old = sender._default_manager.filter(pk=instance.pk).values(*fields).first()
        setattr(instance, _OLD, old)


def _saved(
    sender: Any, instance: models.Model, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if raw:
        return
    if created:
        record(AuditEvent.Action.CREATE, instance)
        return
    old = getattr(instance, _OLD, None) or {}
    changed = sorted(
        name for name in _fields(instance) if name in old and old[name] != getattr(instance, name)
    )
    if changed:
        # Names only: the values may be special-category data.
        record(AuditEvent.Action.CHANGE, instance, details={"fields": changed})


def _deleted(sender: Any, instance: models.Model, **kwargs: Any) -> None:
    record(AuditEvent.Action.DELETE, instance)
