"""How higher apps (trainings, working groups, matching) plug into the volunteer side.

The volunteers app never imports them; they register here in their AppConfig.ready().
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Expression, QuerySet, Value
from django.http import HttpRequest
from django.utils.functional import Promise

from ankommen.extensions import ExtensionPoint, declare

if TYPE_CHECKING:
    from ankommen.accounts.models import User
    from volunteers.models import Volunteer


@dataclass(frozen=True)
class DetailPanel:
    """A section of the volunteer detail page, e.g. "Trainings" from the trainings app."""

    title: str | Promise
    order: int
    # Returns rendered HTML for one volunteer, with a bounded number of queries.
    render: Callable[[Any, HttpRequest], str]


@dataclass(frozen=True)
class BulkAction:
    key: str
    label: str | Promise
    # Receives the selected volunteers, the acting user and the posted data; returns a summary.
    run: Callable[[Iterable[Any], Any, dict[str, Any]], str]
    # What the action applies to, e.g. the working groups to add people to; chosen as "target".
    targets: Callable[[], list[tuple[str, str]]] | None = None


@dataclass(frozen=True)
class Withdrawal:
    """A volunteer leaving: who acted (None when the record is erased), why, and when."""

    volunteer: "Volunteer"
    by: "User | None"
    reason: str
    at: datetime


WITHDRAWAL: ExtensionPoint[Callable[[Withdrawal], None]] = declare(
    ExtensionPoint(
        "volunteers.withdrawal",
        "Each app that holds a volunteer's commitments (mentorships, training places, groups, "
        "tasks, mediations) ends them when the volunteer withdraws or is erased, with a reason "
        "on every row, inside the withdrawal's transaction.",
        required=True,
    )
)
PAUSE: ExtensionPoint[Callable[["Volunteer"], None]] = declare(
    ExtensionPoint(
        "volunteers.pause",
        "What pauses with a volunteer (the matching app pauses their active mentorships).",
    )
)
RESUME: ExtensionPoint[Callable[["Volunteer"], None]] = declare(
    ExtensionPoint(
        "volunteers.resume",
        "What resumes with a volunteer: whatever paused with them.",
    )
)

_panels: list[DetailPanel] = []
_certificate_sections: list[Callable[[Any], tuple[str, list[str]]]] = []
_bulk_actions: dict[str, BulkAction] = {}
_capacity_usage: list[Callable[[], Expression]] = []


def register_detail_panel(panel: DetailPanel) -> None:
    _panels.append(panel)
    _panels.sort(key=lambda entry: entry.order)


def detail_panels() -> list[DetailPanel]:
    return list(_panels)


def register_certificate_section(section: Callable[[Any], tuple[str, list[str]]]) -> None:
    """A heading and its lines for the engagement certificate, e.g. trainings attended."""
    _certificate_sections.append(section)


def certificate_sections() -> list[Callable[[Any], tuple[str, list[str]]]]:
    return list(_certificate_sections)


def register_bulk_action(action: BulkAction) -> None:
    _bulk_actions[action.key] = action


def bulk_actions() -> dict[str, BulkAction]:
    return dict(_bulk_actions)


def register_capacity_usage(expression: Callable[[], Expression]) -> None:
    """How many newcomers a volunteer accompanies now (the matching app counts mentorships)."""
    _capacity_usage.append(expression)


def capacity_usage() -> Expression:
    return _capacity_usage[-1]() if _capacity_usage else Value(0)


# Returns the ids of the accounts with a commitment overlapping [starts_at, ends_at), as a
# queryset with a `user` field, so that callers can narrow it to the people they ask about.
BusyBetween = Callable[[datetime, datetime], QuerySet[Any]]

BUSY: ExtensionPoint[BusyBetween] = declare(
    ExtensionPoint(
        "volunteers.busy",
        "A volunteer cannot be in two places: each app that gives volunteers a time (training "
        "sessions, tasks, shifts, mediations) tells who is taken between two moments; task "
        "sign-ups and mediator offers leave out whoever is.",
        required=True,
    )
)
