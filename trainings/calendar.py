"""Sessions as iCalendar: one file per session, and a personal feed with one's sessions."""

from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from ankommen.translated_content import reader_version
from trainings.models import Session


def _calendar() -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.PORTAL_NAME}//Trainings//EN")
    calendar.add("version", "2.0")
    return calendar


def _event(session: Session) -> Event:
    event = Event()
    event.add("uid", f"session-{session.pk}@{settings.PORTAL_NAME.lower()}")
    # The active language's version (the reader's: a mail's or the feed owner's), else German.
    event.add("summary", reader_version(session.course, "title")[0])
    # Local wall-clock time with its zone, so calendars show Berlin time in any season.
    zone = timezone.get_default_timezone()
    event.add("dtstart", timezone.localtime(session.starts_at, zone))
    event.add("dtend", timezone.localtime(session.ends_at, zone))
    event.add("dtstamp", timezone.now())
    place = reader_version(session, "place")[0]
    if place:
        event.add("location", place)
    description = reader_version(session.course, "description")[0]
    if session.online_url:
        description = f"{description}\n\n{session.online_url}".strip()
        event.add("url", session.online_url)
    if description:
        event.add("description", description)
    if session.status == Session.Status.CANCELLED:
        event.add("status", "CANCELLED")
    return event


def session_ics(session: Session) -> bytes:
    calendar = _calendar()
    calendar.add_component(_event(session))
    return calendar.to_ical()


def feed_ics(sessions: Iterable[Session]) -> bytes:
    calendar = _calendar()
    calendar.add("x-wr-calname", settings.PORTAL_NAME)
    for session in sessions:
        calendar.add_component(_event(session))
    return calendar.to_ical()
