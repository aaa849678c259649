"""The hooks of the newcomer side: how matching, trainings and working groups show up in the
newcomer's own view, in the newcomer list and on a newcomer's page.

This app never imports them; they register providers in their `integrations.register()`.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Protocol, TypeVar

from django.db.models import Value
from django.db.models.expressions import BaseExpression

from ankommen.hooks import Hook, declare

if TYPE_CHECKING:
    from refugees.models import Newcomer


@dataclass(frozen=True)
class ContactPerson:
    """Only what the newcomer may see: a first name and the contacts the person shared."""

    first_name: str
    phone: str = ""
    email: str = ""
    first_meeting: date | None = None
    first_meeting_place: str = ""
    # First name of a language mediator who joins them, if any.
    mediator: str = ""


@dataclass(frozen=True)
class Notice:
    """A short message at the top of the newcomer's home page, with where to go from there."""

    text: str
    url: str


@dataclass(frozen=True)
class Appointment:
    title: str
    starts_at: datetime
    place: str = ""
    # The newcomer's place on a waiting list (1 = next to get a place); None for a sure date.
    waiting_position: int | None = None


@dataclass(frozen=True)
class Offer:
    title: str
    theme: str
    description: str = ""
    where: str = ""
    languages: list[str] = field(default_factory=list)
    when: datetime | None = None
    # A form posts here to sign the newcomer up; empty when the offer has no sign-up.
    sign_up_url: str = ""


@dataclass(frozen=True)
class NewcomerAction:
    """A button on the coordinators' page of a newcomer, leading to another app's page."""

    label: str
    url: str


Item = TypeVar("Item")


class ForNewcomer(Protocol[Item]):
    """What one app has for one newcomer, in a bounded number of queries."""

    def __call__(self, newcomer: "Newcomer", /) -> list[Item]: ...


class IsMatched(Protocol):
    """A boolean expression over Newcomer: has an open mentorship."""

    def __call__(self) -> BaseExpression: ...


CONTACT_PEOPLE: Hook[ForNewcomer[ContactPerson]] = declare(
    "refugees.contact_people",
    "The people a newcomer can turn to (their mentor, a language mediator), with only what "
    "those people agreed to share.",
)
APPOINTMENTS: Hook[ForNewcomer[Appointment]] = declare(
    "refugees.appointments",
    "A newcomer's dates (sessions they are signed up for, meetings), shown in time order.",
)
OFFERS: Hook[ForNewcomer[Offer]] = declare(
    "refugees.offers",
    "What a newcomer can take part in (courses, partner offers), in their own view.",
)
NOTICES: Hook[ForNewcomer[Notice]] = declare(
    "refugees.notices",
    "Short messages at the top of a newcomer's home page (a new contact person, a moved date).",
)
ACTIONS: Hook[ForNewcomer[NewcomerAction]] = declare(
    "refugees.actions",
    "Buttons on a newcomer's page for what other apps do with them (match by hand, open the "
    "mentorship), each decided for this newcomer in a bounded number of queries.",
)
MATCHED: Hook[IsMatched] = declare(
    "refugees.matched",
    "Whether a newcomer has an open mentorship; the matching app knows. Without it nobody is.",
    single=True,
)


def contact_people_for(newcomer: "Newcomer") -> list[ContactPerson]:
    return [person for provider in CONTACT_PEOPLE.providers() for person in provider(newcomer)]


def appointments_for(newcomer: "Newcomer") -> list[Appointment]:
    found = [item for provider in APPOINTMENTS.providers() for item in provider(newcomer)]
    return sorted(found, key=lambda appointment: appointment.starts_at)


def offers_for(newcomer: "Newcomer") -> list[Offer]:
    return [offer for provider in OFFERS.providers() for offer in provider(newcomer)]


def notices_for(newcomer: "Newcomer") -> list[Notice]:
    return [notice for provider in NOTICES.providers() for notice in provider(newcomer)]


def actions_for(newcomer: "Newcomer") -> list[NewcomerAction]:
    return [action for provider in ACTIONS.providers() for action in provider(newcomer)]


def matched_expression() -> BaseExpression:
    provider = MATCHED.one()
    return provider() if provider is not None else Value(False)
