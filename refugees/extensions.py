"""How matching, trainings and working groups show up in the newcomer's own view.

This app never imports them; they register providers here in their AppConfig.ready().
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Expression, Value


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


_contact_people: list[Callable[[Any], list[ContactPerson]]] = []
_appointments: list[Callable[[Any], list[Appointment]]] = []
_offers: list[Callable[[Any], list[Offer]]] = []
_matched: list[Callable[[], Expression]] = []
_notices: list[Callable[[Any], list[Notice]]] = []


def register_contact_person_provider(provider: Callable[[Any], list[ContactPerson]]) -> None:
    _contact_people.append(provider)


def register_appointment_provider(provider: Callable[[Any], list[Appointment]]) -> None:
    _appointments.append(provider)


def register_offer_provider(provider: Callable[[Any], list[Offer]]) -> None:
    _offers.append(provider)


def register_notice_provider(provider: Callable[[Any], list[Notice]]) -> None:
    _notices.append(provider)


def register_matched_expression(expression: Callable[[], Expression]) -> None:
    """A boolean expression over Newcomer: has an open mentorship (from the matching app)."""
    _matched.append(expression)


def contact_people_for(newcomer: Any) -> list[ContactPerson]:
    return [person for provider in _contact_people for person in provider(newcomer)]


def appointments_for(newcomer: Any) -> list[Appointment]:
    found = [item for provider in _appointments for item in provider(newcomer)]
    return sorted(found, key=lambda appointment: appointment.starts_at)


def offers_for(newcomer: Any) -> list[Offer]:
    return [offer for provider in _offers for offer in provider(newcomer)]


def notices_for(newcomer: Any) -> list[Notice]:
    return [notice for provider in _notices for notice in provider(newcomer)]


def matched_expression() -> Expression:
    return _matched[-1]() if _matched else Value(False)
