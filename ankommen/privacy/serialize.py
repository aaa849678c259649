"""Records as plain, readable JSON values for an export."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models


def plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return str(value)
    return value


def record(instance: models.Model, exclude: tuple[str, ...] = ()) -> dict[str, Any]:
    """Every concrete field by its label's name, secrets (hashes, tokens) left out by caller."""
    return {
        field.name: plain(getattr(instance, field.name))
        for field in instance._meta.concrete_fields
        if field.name not in exclude
    }


def records(queryset: Any, exclude: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    return [record(instance, exclude) for instance in queryset]
