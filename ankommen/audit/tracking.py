"""The safety net: every change to a person's record that no service recorded itself, whoever
makes it and through whichever path: saving a model (the admin, forms saved in views, a shell)
and writing rows in bulk (`QuerySet.update()`, `bulk_update()`, `bulk_create()`). Person
models use `AuditedQuerySet` for their manager, and feature apps name them with `track`, which
refuses a model whose bulk writes would go unseen.

Inside a service's `recorded_by` block what is noticed here joins the service's entry, with the
service's actor, and the fields the service stated are not looked up again
(`ankommen.audit.trail`)."""

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save, pre_save

from ankommen.audit import trail
from ankommen.audit.models import AuditEvent
from ankommen.audit.trail import IGNORED, Key, current_actor, key_of

_OLD = "_audit_old_values"


def _changes(changes: dict[Key, Iterable[str]]) -> None:
    trail.notice(
        {key: {AuditEvent.Action.CHANGE: set(fields)} for key, fields in changes.items() if fields}
    )


def note_change(subject: models.Model, fields: Iterable[str]) -> None:
    """Parts of a record saved with it that no signal sees (the admin's inlines)."""
    _changes({key_of(subject): fields})


@contextmanager
def one_entry_per_change() -> Iterator[None]:
    """One edit outside the services (an admin save) is one entry per person, however many
    rows and statements it saves (the record, its languages, its household), by the
    request's person. Nothing is written if the block fails."""
    with trail.opened(current_actor()):
        yield


def _audited_names(model: type[models.Model], names: Iterable[str]) -> list[str]:
    attnames = (model._meta.get_field(name).attname for name in names)
    return [name for name in attnames if name not in IGNORED]


def _plain(value: Any) -> Any:
    return value.pk if isinstance(value, models.Model) else value


class AuditedQuerySet(models.QuerySet):
    """Bulk writes to person rows leave the same trail as saving them one by one."""

    def update(self, **kwargs: Any) -> int:
        audited = {
            self.model._meta.get_field(name).attname: _plain(value)
            for name, value in kwargs.items()
            if self.model._meta.get_field(name).attname not in IGNORED
        }
        if not audited:
            return super().update(**kwargs)
        with transaction.atomic(using=self.db, savepoint=False):
            before = list(self.order_by().values("pk", *audited))
            count = super().update(**kwargs)
            _changes(
                {
                    (self.model._meta.model_name, row["pk"]): [
                        name
                        for name, value in audited.items()
                        # An expression (F(), Now()) is a change whatever it computes.
                        if hasattr(value, "resolve_expression") or row[name] != value
                    ]
                    for row in before
                }
            )
        return count

    def bulk_update(
        self, objs: Iterable[models.Model], fields: Sequence[str], batch_size: int | None = None
    ) -> int:
        objs = list(objs)
        names = _audited_names(self.model, fields)
        if not names or not objs:
            return super().bulk_update(objs, fields, batch_size=batch_size)
        with transaction.atomic(using=self.db, savepoint=False):
            stored = {
                row["pk"]: row
                for row in self.model._base_manager.using(self.db)
                .filter(pk__in=[obj.pk for obj in objs])
                .values("pk", *names)
            }
            # Django's bulk_update writes through update(): that would name every field of
            # every row, changed or not.
            plain = models.QuerySet(self.model, using=self.db)
            count = plain.bulk_update(objs, fields, batch_size=batch_size)
            _changes(
                {
                    (self.model._meta.model_name, obj.pk): [
                        name
                        for name in names
                        if obj.pk in stored and stored[obj.pk][name] != getattr(obj, name)
                    ]
                    for obj in objs
                }
            )
        return count

    def bulk_create(self, objs: Iterable[models.Model], *args: Any, **kwargs: Any) -> list:
        with transaction.atomic(using=self.db, savepoint=False):
            created = super().bulk_create(objs, *args, **kwargs)
            # Rows skipped by ignore_conflicts come back without a primary key.
            trail.notice(
                {key_of(obj): {AuditEvent.Action.CREATE: set()} for obj in created if obj.pk}
            )
        return created


_tracked: set[type[models.Model]] = set()


def is_tracked(model: type[models.Model]) -> bool:
    return model in _tracked


def track(model: type[models.Model]) -> None:
    if not isinstance(model._default_manager.all(), AuditedQuerySet):
        raise ImproperlyConfigured(
            f"{model._meta.label} is a person model: its manager must use AuditedQuerySet, "
            "or changes made in bulk would leave no audit entry."
        )
    _tracked.add(model)
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


def _stated(instance: models.Model) -> set[str]:
    """Fields the service at work stated itself: looking them up again would be a query."""
    open_trail = trail.open_trail()
    return open_trail.stated_fields(instance) if open_trail is not None else set()


def _remember(sender: Any, instance: models.Model, raw: bool = False, **kwargs: Any) -> None:
    """The stored values before the save: one query, skipped for bookkeeping-only saves."""
    setattr(instance, _OLD, None)
    if raw or instance.pk is None:
        return
    stated = _stated(instance)
    fields = [name for name in _fields(instance) if name not in stated]
    update_fields = kwargs.get("update_fields")
    if update_fields is not None:
        fields = [
            name
            for name in fields
            if name in update_fields or name.removesuffix("_id") in update_fields
        ]
    if fields:
        old = sender._base_manager.filter(pk=instance.pk).values(*fields).first()
        setattr(instance, _OLD, old)


def _saved(
    sender: Any, instance: models.Model, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if raw:
        return
    if created:
        trail.notice({key_of(instance): {AuditEvent.Action.CREATE: set()}})
        return
    old = getattr(instance, _OLD, None) or {}
    changed = [
        name for name in _fields(instance) if name in old and old[name] != getattr(instance, name)
    ]
    if changed:
        note_change(instance, changed)


def _deleted(sender: Any, instance: models.Model, **kwargs: Any) -> None:
    trail.notice({key_of(instance): {AuditEvent.Action.DELETE: set()}})
