"""Network events (conferences, assemblies, the conversation café): planned, changed and
cancelled by coordinators; volunteers reply themselves, coordinators record partners' replies.
Whoever said they are coming hears when the time or place changes, or the event is cancelled."""

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ankommen.accounts.models import User
from ankommen.audit import services as audit
from ankommen.messaging.channels import Recipient
from ankommen.messaging.services import Contact, DueReminder, notify
from ankommen.translated_content import all_versions, in_source_language, version_fields
from translations import services as translation_work
from workgroups.models import EventResponse, NetworkEvent, Partner
from workgroups.services.groups import WorkgroupError


def partner_contact(partner: Partner) -> Contact:
    """A partner organisation is written to in the portal's language: it has no preference."""
    return Contact(
        email=partner.contact_email,
        display_name=partner.contact_name,
        preferred_language=settings.LANGUAGE_CODE,
    )


def _minute(when: datetime) -> datetime:
    return when.replace(second=0, microsecond=0)


def _check_future(starts_at: datetime) -> None:
    if starts_at <= timezone.now():
        raise WorkgroupError(_("The event must start in the future."))


@transaction.atomic
def create_network_event(
    *,
    by: User,
    title: str,
    starts_at: datetime,
    place: str = "",
    description: str = "",
    **versions: str | None,
) -> NetworkEvent:
    """An event to come; volunteers see it on the events page and can reply. `versions` are
    the texts in other languages (`title_ar=...`), the others are German."""
    _check_future(starts_at)
    with audit.recorded_by(by) as trail, in_source_language():
        event = NetworkEvent.objects.create(
            title=title, starts_at=starts_at, place=place, description=description, **versions
        )
        trail.created(event)
    translation_work.sync_record(event, by=by)
    return event


@transaction.atomic
def update_network_event(*, event: NetworkEvent, by: User, **fields: Any) -> int:
    """A new time or place is told to everyone who said they are coming; returns how many
    were told. A cancelled event stays as it was cancelled."""
    stored = NetworkEvent.objects.select_for_update().get(pk=event.pk)
    if stored.is_cancelled:
        raise WorkgroupError(_("A cancelled event cannot be changed."))
    # The form gives minutes: an event entered elsewhere with seconds has not moved.
    moved = _minute(fields.get("starts_at", stored.starts_at)) != _minute(stored.starts_at)
    if moved:
        _check_future(fields["starts_at"])
    # Title, place and description are the German ones; the versions are their own fields.
    with in_source_language():
        relocated = fields.get("place", stored.place) != stored.place
    if relocated:
        # Another place, not the old one reworded: versions left as they were would send
        # readers to the old door, so they are dropped and asked for anew.
        for name in version_fields("place"):
            if fields.get(name, getattr(stored, name)) == getattr(stored, name):
                fields[name] = None
    with audit.recorded_by(by) as trail, in_source_language():
        trail.assign(stored, **fields)
        stored.save()
    translation_work.sync_record(stored, by=by)
    if not (moved or relocated) or stored.is_over:
        return 0
    stamp = timezone.now().isoformat()
    return _tell_those_coming(stored, "workgroups/event_changed", f"event-changed:{stamp}")


@transaction.atomic
def cancel_network_event(*, event: NetworkEvent, by: User) -> int:
    """The replies are kept; everyone who said they are coming is told. Returns how many."""
    stored = NetworkEvent.objects.select_for_update().get(pk=event.pk)
    if stored.is_cancelled:
        raise WorkgroupError(_("This event has already been cancelled."))
    if stored.is_over:
        raise WorkgroupError(_("This event has already taken place."))
    with audit.recorded_by(by) as trail:
        trail.assign(stored, cancelled_at=timezone.now())
        stored.save(update_fields=["cancelled_at"])
    return _tell_those_coming(stored, "workgroups/event_cancelled", "event-cancelled")


def _coming(event: NetworkEvent) -> list[tuple[int, Recipient]]:
    """Each reply "coming" with the person to tell: the volunteer, or the partner's contact."""
    replies = event.responses.filter(answer=EventResponse.Answer.YES).select_related(
        "user", "partner"
    )
    return [
        (reply.pk, reply.user if reply.user is not None else partner_contact(_partner(reply)))
        for reply in replies.order_by("pk")
    ]


def _partner(reply: EventResponse) -> Partner:
    # The database allows a reply only from a user or a partner (workgroups_rsvp_one_guest).
    assert reply.partner is not None  # noqa: S101
    return reply.partner


def _tell_those_coming(event: NetworkEvent, occasion: str, key: str) -> int:
    context = {
        "title": all_versions(event, "title"),
        "starts_at": timezone.localtime(event.starts_at).isoformat(),
        "place": all_versions(event, "place"),
        "url": settings.PORTAL_URL + reverse("workgroups:events"),
    }
    told = 0
    for reply_pk, person in _coming(event):
        reached = notify(
            person, occasion=occasion, context=context, key=f"{key}:{event.pk}:{reply_pk}"
        )
        told += reached is not None
    return told


def reply_to_event(
    *, event: NetworkEvent, answer: str, user: User | None = None, partner: Partner | None = None
) -> EventResponse:
    if event.is_cancelled:
        raise WorkgroupError(_("This event has been cancelled."))
    if event.is_over:
        raise WorkgroupError(_("This event has already taken place."))
    if answer not in EventResponse.Answer.values:
        raise WorkgroupError(_("Please answer yes or no."))
    response, _created = EventResponse.objects.update_or_create(
        event=event, user=user, partner=partner, defaults={"answer": answer}
    )
    return response


@transaction.atomic
def record_partner_reply(
    *, event: NetworkEvent, partner: Partner, answer: str, by: User
) -> EventResponse:
    """The organisation's one reply: recorded by a coordinator for a contact without an
    account, or given by the organisation's own staff on their desk (partners app)."""
    if not partner.is_active:
        raise WorkgroupError(_("This partner organisation has been retired."))
    with audit.recorded_by(by) as trail:
        existing = EventResponse.objects.filter(event=event, partner=partner).first()
        response = reply_to_event(event=event, partner=partner, answer=answer)
        if existing is None:
            trail.created(response)
        elif existing.answer != answer:
            trail.changed(response, ["answer"])
    return response


def event_reminders(now: datetime) -> list[DueReminder]:
    """Everyone who said yes hears once, the day before; a cancelled event reminds nobody."""
    replies = EventResponse.objects.filter(
        answer=EventResponse.Answer.YES,
        event__cancelled_at__isnull=True,
        event__starts_at__gt=now,
        event__starts_at__lte=now + timedelta(hours=24),
    ).select_related("event", "user", "partner")
    return [
        DueReminder(
            person=reply.user or partner_contact(_partner(reply)),
            occasion="workgroups/event_reminder",
            key=f"{reply.event_id}:{reply.pk}:{reply.event.starts_at.isoformat()}",
            context={
                # Written in the reader's language when the mail is sent.
                "title": all_versions(reply.event, "title"),
                "when": timezone.localtime(reply.event.starts_at).isoformat(),
                "place": all_versions(reply.event, "place"),
            },
        )
        for reply in replies
    ]
