"""The hooks of the volunteer side: how higher apps (trainings, working groups, matching)
plug into a volunteer's page, certificate, bulk actions and life cycle.

The volunteers app never imports them; they register in their `integrations.register()`.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from django.db.models import Expression, QuerySet, Value
from django.http import HttpRequest
from django.utils.functional import Promise

from ankommen.hooks import Hook, declare

if TYPE_CHECKING:
    from ankommen.accounts.models import User
    from volunteers.models import Volunteer


class RendersPanel(Protocol):
    def __call__(self, volunteer: "Volunteer", request: HttpRequest, /) -> str: ...


@dataclass(frozen=True)
class DetailPanel:
    """A section of the volunteer detail page, e.g. "Trainings" from the trainings app."""

    title: str | Promise
    order: int
    # Returns rendered HTML for one volunteer, with a bounded number of queries.
    render: RendersPanel


class RunsBulkAction(Protocol):
    def __call__(
        self, volunteers: Iterable["Volunteer"], by: "User", data: dict[str, Any], /
    ) -> str: ...


class ListsTargets(Protocol):
    def __call__(self) -> list[tuple[str, str]]: ...


@dataclass(frozen=True)
class BulkAction:
    key: str
    label: str | Promise
    # Receives the selected volunteers, the acting user and the posted data; returns a summary.
    run: RunsBulkAction
    # What the action applies to, e.g. the working groups to add people to; chosen as "target".
    targets: ListsTargets | None = None


class CertificateSection(Protocol):
    """A heading and its lines for the engagement certificate, e.g. trainings attended."""

    def __call__(self, volunteer: "Volunteer", /) -> tuple[str, list[str]]: ...


@dataclass(frozen=True)
class Withdrawal:
    """A volunteer leaving: who acted (None when the record is erased), why, and when."""

    volunteer: "Volunteer"
    by: "User | None"
    reason: str
    at: datetime


class EndsCommitments(Protocol):
    def __call__(self, withdrawal: Withdrawal, /) -> None: ...


class FollowsVolunteer(Protocol):
    def __call__(self, volunteer: "Volunteer", /) -> None: ...


class CountsAccompanied(Protocol):
    """An integer expression over Volunteer: how many newcomers they accompany now."""

    def __call__(self) -> Expression: ...


class BusyBetween(Protocol):
    """The accounts with a commitment overlapping [starts_at, ends_at), as a queryset with a
    `user` field, so that callers can narrow it to the people they ask about."""

    def __call__(self, starts_at: datetime, ends_at: datetime, /) -> QuerySet[Any]: ...


@dataclass(frozen=True)
class TrainingDate:
    """A date of the basic training, with the page to sign up for it or to see one's place."""

    title: str
    starts_at: datetime
    url: str
    place: str = ""
    # A full date still takes sign-ups, onto its waiting list.
    is_full: bool = False


@dataclass(frozen=True)
class BasicTraining:
    """Where a volunteer stands with the basic training that is still ahead of them."""

    # Their place in a date still to come (or on its waiting list), if they have one.
    booked: TrainingDate | None
    is_waiting: bool
    # The next dates they could sign up for, when they have none.
    upcoming: list[TrainingDate]
    # All trainings for volunteers.
    catalogue_url: str


class TellsBasicTraining(Protocol):
    """In a fixed number of queries, whatever the number of dates."""

    def __call__(self, volunteer: "Volunteer", /) -> BasicTraining: ...


WITHDRAWAL: Hook[EndsCommitments] = declare(
    "volunteers.withdrawal",
    "Each app that holds a volunteer's commitments (mentorships, training places, groups, "
    "tasks, mediations) ends them when the volunteer withdraws or is erased, with a reason "
    "on every row, inside the withdrawal's transaction.",
    required=True,
)
PAUSE: Hook[FollowsVolunteer] = declare(
    "volunteers.pause",
    "What pauses with a volunteer (the matching app pauses their active mentorships).",
)
RESUME: Hook[FollowsVolunteer] = declare(
    "volunteers.resume",
    "What resumes with a volunteer: whatever paused with them.",
)
BUSY: Hook[BusyBetween] = declare(
    "volunteers.busy",
    "A volunteer cannot be in two places: each app that gives volunteers a time (training "
    "sessions, tasks, shifts, mediations) tells who is taken between two moments; task "
    "sign-ups and mediator offers leave out whoever is.",
    required=True,
)
DETAIL_PANELS: Hook[DetailPanel] = declare(
    "volunteers.detail_panels",
    "Sections of the coordinator's volunteer page (trainings, groups, mentorships), in order.",
    order=lambda panel: panel.order,
)
CERTIFICATE_SECTIONS: Hook[CertificateSection] = declare(
    "volunteers.certificate_sections",
    "What the engagement certificate lists beyond hours: trainings attended, groups, tasks.",
)
BULK_ACTIONS: Hook[BulkAction] = declare(
    "volunteers.bulk_actions",
    "Actions on the volunteers a coordinator selected in the list, one per key.",
    key=lambda action: action.key,
)
BASIC_TRAINING: Hook[TellsBasicTraining] = declare(
    "volunteers.basic_training",
    "The volunteer's place in a basic training and the next dates to sign up for, shown to "
    "them as their next step; the trainings app knows them. Without it the step says that the "
    "coordinators tell them about the dates.",
    single=True,
)
CAPACITY_USAGE: Hook[CountsAccompanied] = declare(
    "volunteers.capacity_usage",
    "How many newcomers a volunteer accompanies now; the matching app counts mentorships. "
    "Without it nobody accompanies anyone.",
    single=True,
)


def capacity_usage() -> Expression:
    provider = CAPACITY_USAGE.one()
    return provider() if provider is not None else Value(0)
