"""Cached HTML of filter forms and choosers, which depend only on the request's query, the
language and the rows their choices come from (languages, districts, themes, groups, ...).

Rendering such a form costs more than the list beside it: at city scale the card file's filters
and bulk chooser took 80 of its 150 ms. Their HTML is cached under a version that changes
whenever one of the registered choice models is saved or deleted, so a new district or group
shows up at once; the timeout only bounds how long unused variants occupy the cache.
"""

from typing import Any
from uuid import uuid4

from django.core.cache import cache
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

VERSION_KEY = "fragments:choices-version"
FRAGMENT_SECONDS = 600


def choices_version() -> str:
    return cache.get_or_set(VERSION_KEY, lambda: uuid4().hex, timeout=None)


def _new_version() -> None:
    cache.set(VERSION_KEY, uuid4().hex, timeout=None)


def _choices_changed(**kwargs: Any) -> None:
    # After the commit: a request rendering between the save and the commit would otherwise
    # cache the old choices under the new version.
    transaction.on_commit(_new_version)


def refresh_when_changed(*sources: type[models.Model]) -> None:
    """Models whose rows appear as choices in a cached form; many-to-many "through" models
    count too (e.g. the languages a course is given in)."""
    for model in sources:
        uid = f"fragments:{model._meta.label}"
        if model._meta.auto_created:
            m2m_changed.connect(_choices_changed, sender=model, dispatch_uid=uid)
            continue
        post_save.connect(_choices_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(_choices_changed, sender=model, dispatch_uid=uid)


def fragment_context() -> dict[str, Any]:
    return {"choices_version": choices_version(), "fragment_seconds": FRAGMENT_SECONDS}
