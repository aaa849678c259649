"""GDPR rights over everything the portal holds about one person: a full export and an erasure
that anonymises while every count stays right.

Each app knows its own data about a person and registers an exporter and an eraser for it
(`register_personal_data`); this module only runs them all, in one transaction, and logs it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from ankommen.audit import services as audit
from ankommen.audit.models import AuditEvent

NEWCOMER = "newcomer"
VOLUNTEER = "volunteer"
# What an erased person's name becomes: the record stays countable, nobody is recognisable.
ERASED_NAME = "—"


@dataclass(frozen=True)
class PersonalData:
    section: str
    export: Callable[[Any], Any]
    erase: Callable[[Any], None]


_registry: dict[str, list[PersonalData]] = {NEWCOMER: [], VOLUNTEER: []}


def register_personal_data(kind: str, part: PersonalData) -> None:
    _registry[kind].append(part)


def export_person(kind: str, person: Any, *, by: Any) -> dict[str, Any]:
    data = {part.section: part.export(person) for part in _registry[kind]}
    audit.record(AuditEvent.Action.EXPORT, person, actor=by, details={"sections": list(data)})
    return data


@transaction.atomic
def erase_person(kind: str, person: Any, *, by: Any) -> None:
    for part in _registry[kind]:
        part.erase(person)
    audit.record(AuditEvent.Action.ERASE, person, actor=by)


# --- Retention ---------------------------------------------------------------------------------
# Each rule returns the people of one kind whose data are due for erasure on a given day.
_retention: dict[str, list[Callable[[Any], Any]]] = {NEWCOMER: [], VOLUNTEER: []}


def register_retention_rule(kind: str, due: Callable[[Any], Any]) -> None:
    _retention[kind].append(due)


def retention_rules() -> dict[str, list[Callable[[Any], Any]]]:
    return _retention
