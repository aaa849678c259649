"""GDPR rights over everything the portal holds about one person: a full export and an erasure
that anonymises while every count stays right.

Each app knows its own data about a person and registers them in parts
(`PERSON_KINDS[kind].parts`). A part names the models it covers and brings both an exporter and
an eraser, so nothing can be erased that the export leaves out, and a test checks that every
model pointing at a person is covered by some part. This module only runs them all, in one
transaction, and logs it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from django.apps import apps
from django.db import transaction
from django.db.models import Model, QuerySet

from ankommen.accounts.models import User
from ankommen.audit import services as audit
from ankommen.audit.models import AuditEvent
from ankommen.hooks import Hook, declare

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
        "partners.PartnerStaff.ended_by",
        "partners.PartnerStaff.invited_by",
        "messaging.Newsletter.created_by",
        "privacy.RetentionReview.confirmed_by",
        "refugees.AccessLink.created_by",
        "refugees.Need.created_by",
        "refugees.Newcomer.registered_by",
        "refugees.NewcomerConsent.obtained_by",
        "trainings.Registration.signed_up_by",
        "translations.TranslationTask.reviewer",
        "volunteers.ClearanceCheck.checked_by",
        "volunteers.CoordinatorNote.author",
        "volunteers.HoursEntry.reviewed_by",
        "volunteers.StageChange.changed_by",
        "workgroups.MediatorRequest.requested_by",
        "workgroups.Meeting.created_by",
        "workgroups.Membership.decided_by",
        "workgroups.PartnerNeed.recorded_by",
        "workgroups.Referral.answered_by",
        "workgroups.Referral.consent_withdrawn_by",
        "workgroups.Referral.referred_by",
        "workgroups.Task.created_by",
        "workgroups.Task.reviewed_by",
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


class DueForErasure(Protocol):
    """The people of one kind whose data are due for erasure on a given day."""

    def __call__(self, today: date, /) -> "QuerySet[Any]": ...


@dataclass(frozen=True)
class PersonKind:
    """What the kernel needs to know about one kind of person, from the app that owns it."""

    # The model ("app_label.Model"): the kernel finds newcomers and volunteers without
    # importing their apps.
    model: Hook[str]
    # Erased in the order they are registered; one per section.
    parts: Hook[PersonalData]
    retention: Hook[DueForErasure]


def _person_kind(kind: str) -> PersonKind:
    return PersonKind(
        model=declare(
            f"privacy.{kind}.model",
            f"The model that holds a {kind}, named by the app that owns it.",
            required=True,
            single=True,
        ),
        parts=declare(
            f"privacy.{kind}.personal_data",
            f"Everything an app holds about a {kind}, as parts that export and erase together, "
            "so the GDPR export and erasure cover every model that points at the person.",
            required=True,
            key=lambda part: part.section,
        ),
        retention=declare(
            f"privacy.{kind}.retention",
            f"When a {kind}'s data are due for erasure; without a rule nothing would ever be.",
            required=True,
        ),
    )


PERSON_KINDS: dict[str, PersonKind] = {kind: _person_kind(kind) for kind in (NEWCOMER, VOLUNTEER)}


def person_model(kind: str) -> type[Model]:
    label = PERSON_KINDS[kind].model.one()
    if label is None:
        raise LookupError(f"No app names the model of a {kind}.")
    return apps.get_model(label)


def personal_data_parts(kind: str) -> tuple[PersonalData, ...]:
    return tuple(PERSON_KINDS[kind].parts.providers())


def export_person(kind: str, person: Any, *, by: "User | None") -> dict[str, Any]:
    data = {part.section: part.export(person) for part in personal_data_parts(kind)}
    audit.record(
        action=AuditEvent.Action.EXPORT, subject=person, by=by, details={"sections": list(data)}
    )
    return data


@transaction.atomic
def erase_person(kind: str, person: Any, *, by: "User | None") -> None:
    """Whatever the parts change on the way (a withdrawal, emptied fields) is audited as part
    of the erasure, by whoever erases (nobody: the retention job)."""
    with audit.recorded_by(by):
        for part in personal_data_parts(kind):
            part.erase(person)
    audit.record(action=AuditEvent.Action.ERASE, subject=person, by=by)


def retention_rules() -> dict[str, list[DueForErasure]]:
    return {kind: hooks.retention.providers() for kind, hooks in PERSON_KINDS.items()}
