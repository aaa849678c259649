"""Which pages show whose sensitive fields: every such page records a read of each person it
shows (`ankommen.audit.services.record_reads`).

- A person's own page, its edit form and its admin change page show everything: one read.
- A list shows sensitive fields when a column or an active filter is special-category data
  (the record of processing's one list, `SPECIAL_CATEGORY`): a list filtered by residence
  status tells each row's status. Then every person shown is read, in one statement.
"""

from collections.abc import Iterable
from typing import Any

from django.db import models

from ankommen.privacy.processing import SPECIAL_CATEGORY


def filters_on_sensitive_fields(
    model: type[models.Model], params: Iterable[tuple[str, Any]]
) -> bool:
    """Whether a filter with a value names a special-category field of the model
    (`residence_status`, or the admin's `residence_status__exact`)."""
    return any(
        f"{model._meta.label}.{name.split('__')[0]}" in SPECIAL_CATEGORY
        for name, value in params
        if value not in ("", None, [])
    )


def _people(row: models.Model, paths: Iterable[str]) -> list[models.Model]:
    found = []
    for path in paths:
        person: Any = row
        for step in path.split("__") if path else ():
            person = getattr(person, step, None)
        if person is not None:
            found.append(person)
    return found


def people_in(rows: Iterable[models.Model], paths: Iterable[str]) -> list[models.Model]:
    """Each person the rows are about once, by the rows' paths to them ("" is the row)."""
    seen: dict[tuple[str, int], models.Model] = {}
    for row in rows:
        for person in _people(row, paths):
            seen.setdefault((person._meta.model_name, person.pk), person)
    return list(seen.values())
