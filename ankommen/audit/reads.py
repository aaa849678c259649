"""Which pages show whose sensitive fields: every such page records a read of each person it
shows (`ankommen.audit.services.record_reads`).

- A person's own page, its edit form and every admin change page about a person show their
  fields: one read of each person the page is about.
- A list shows sensitive fields when an active filter is special-category data (the record
  of processing's one list, `SPECIAL_CATEGORY`: a list filtered by residence status tells
  each row's status) or its columns show them. Then every person shown is read, in one
  statement.

Portal views call `record_reads` with the people they show; admin classes about people use
`ankommen.admin_mixins.AuditedAdmin`. tests/test_audit_reads.py crawls every page for the
ones that show sensitive fields without recording the read.
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
