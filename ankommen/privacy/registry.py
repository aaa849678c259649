"""GDPR rights over everything the portal holds about one person: a full export and an erasure
that anonymises while every count stays right.

Each app knows its own data about a person and registers them in parts
(`register_personal_data`). A part names the models it covers and brings both an exporter and
an eraser, so nothing can be erased that the export leaves out, and a test checks that every
model pointing at a person is covered by some part. This module only runs them all, in one
transaction, and logs it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import transaction
from django.db.models import Model

from ankommen.accounts.models import User
from ankommen.audit import services as audit
from ankommen.audit.models import AuditEvent

NEWCOMER = "newcomer"
VOLUNTEER = "volunteer"
# What an erased person's name becomes: the record stays countable, nobody is recognisable.
ERASED_NAME = "—"


# Fields that only name the staff member (or volunteer) who acted: who registered, decided,
# approved, wrote or invited. They hold nothing about that person beyond an account id, which
# names nobody once the account is erased, so they are neither exported as that person's data
# nor cleared; the test of the registry follows every other link to a person.
ACTOR_FIELDS = frozenset(
    {
        "accounts.User.referred_by",
        "cockpit.ImportJob.started_by",
        "cockpit.Target.changed_by",
        "matching.MatchingRun.started_by",
        "matching.MatchingWeights.changed_by",
        "matching.Mentorship.matched_by",
        "matching.Rejection.rejected_by",
        "messaging.Newsletter.created_by",
        "privacy.RetentionReview.confirmed_by",
        "refugees.AccessLink.created_by",
        "refugees.Need.created_by",
        "refugees.Newcomer.registered_by",
        "refugees.NewcomerConsent.obtained_by",
        "trainings.Registration.signed_up_by",
        "volunteers.ClearanceCheck.checked_by",
        "volunteers.CoordinatorNote.author",
        "volunteers.HoursEntry.reviewed_by",
        "volunteers.StageChange.changed_by",
        "workgroups.MediatorRequest.requested_by",
        "workgroups.Meeting.created_by",
        "workgroups.Membership.decided_by",
        "workgroups.PartnerNeed.recorded_by",
        "workgroups.Referral.referred_by",
        "workgroups.Task.created_by",
    }
)


@dataclass(frozen=True)
class PersonalData:
    """One part of a person's data: the models it covers ("app_label.Model"), how they are
    exported and how they are erased. An eraser that keeps a model on purpose says why."""

    section: str
    models: tuple[str, ...]
    export: Callable[[Any], Any]
    erase: Callable[[Any], None]

    def __post_init__(self) -> None:
        if not self.models:
            raise ValueError(f"The part {self.section!r} must name the models it covers.")
        if not callable(self.export) or not callable(self.erase):
            raise TypeError(f"The part {self.section!r} needs both an exporter and an eraser.")
        for label in self.models:
            apps.get_model(label)  # a misspelt label fails at start-up, not in a test


_registry: dict[str, list[PersonalData]] = {NEWCOMER: [], VOLUNTEER: []}
# The model of each kind of person, named by the app that owns it: the kernel finds newcomers
# and volunteers without importing their apps.
_person_models: dict[str, str] = {}


def register_person_model(kind: str, label: str) -> None:
    apps.get_model(label)  # a misspelt label fails at start-up
    _person_models[kind] = label


def person_model(kind: str) -> type[Model]:
    return apps.get_model(_person_models[kind])


def register_personal_data(kind: str, part: PersonalData) -> None:
    """Parts are erased in the order they are registered."""
    if not isinstance(part, PersonalData):
        raise TypeError("Register a PersonalData part: an exporter and an eraser together.")
    if any(known.section == part.section for known in _registry[kind]):
        raise ValueError(f"The {kind} part {part.section!r} is registered twice.")
    _registry[kind].append(part)


def personal_data_parts(kind: str) -> tuple[PersonalData, ...]:
    return tuple(_registry[kind])


def export_person(kind: str, person: Any, *, by: User) -> dict[str, Any]:
    data = {part.section: part.export(person) for part in _registry[kind]}
    audit.record(AuditEvent.Action.EXPORT, person, actor=by, details={"sections": list(data)})
    return data


@transaction.atomic
def erase_person(kind: str, person: Any, *, by: User) -> None:
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
