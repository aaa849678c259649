"""What the messaging kernel holds about a person: subscriptions, the e-mails sent to them, and
the e-mails sent to others about them (the newcomer in a mail to their volunteer)."""

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone

from ankommen.messaging.models import AddressHealth, OutboxMessage, OutboxSubject, Subscription
from ankommen.privacy.serialize import records

UNDELIVERABLE = "erased@invalid.invalid"
MODELS = (
    "messaging.Subscription",
    "messaging.OutboxMessage",
    "messaging.OutboxSubject",
    "messaging.AddressHealth",
)


@dataclass(frozen=True)
class Correspondent:
    """Everything by which the outbox knows a person: the account mails go to, the addresses,
    the records mails were about, and values (full name, phone, addresses) that identify them
    wherever they were written into a mail."""

    user: Any
    emails: tuple[str, ...]
    subjects: tuple[models.Model, ...]
    identifying: tuple[str, ...] = ()

    @classmethod
    def of(
        cls,
        *,
        user: Any,
        emails: Iterable[str],
        subjects: Iterable[Any],
        identifying: Iterable[str],
    ) -> "Correspondent":
        return cls(
            user=user,
            emails=tuple({email.lower() for email in emails if email}),
            subjects=tuple(subject for subject in subjects if subject is not None),
            identifying=tuple(value for value in identifying if _identifies(value)),
        )


def _identifies(value: str | None) -> bool:
    """A value distinctive enough to search for: a phone number, an address, a full name of
    two words or more (a first name alone would hit other people's mails)."""
    if not value or len(value) < 6:
        return False
    return "@" in value or bool(re.search(r"\d{5}", value)) or len(value.split()) >= 2


def _sent_to(person: Correspondent) -> Q:
    q = Q(recipient=person.user) if person.user is not None else Q(pk__in=[])
    for email in person.emails:
        q |= Q(to_email__iexact=email)
    return q


def _about(person: Correspondent) -> Q:
    links = Q(pk__in=[])
    for subject in person.subjects:
        links |= Q(subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk)
    return Q(pk__in=OutboxSubject.objects.filter(links).values("message"))


def _mentioning(person: Correspondent) -> Q:
    """The last guard, for a mail nobody linked to the person: its context names them. JSON
    may store text with its non-ASCII characters escaped, so both spellings are searched."""
    q = Q(pk__in=[])
    for value in person.identifying:
        for spelling in {value, json.dumps(value)[1:-1]}:
            q |= Q(context__icontains=spelling)
    return q


def _subscribed(person: Correspondent) -> Q:
    q = Q(user=person.user) if person.user is not None else Q(pk__in=[])
    for email in person.emails:
        q |= Q(email__iexact=email)
    return q


def export_messages(person: Correspondent) -> dict[str, Any]:
    """What each mail was, not its text (links in it are secrets); mails about the person
    went to someone else, whose address stays out of it."""
    return {
        "subscriptions": records(
            Subscription.objects.filter(_subscribed(person)), exclude=("user", "unsubscribed_via")
        ),
        "emails": list(
            OutboxMessage.objects.filter(_sent_to(person)).values(
                "template", "to_email", "language", "state", "created_at", "sent_at"
            )
        ),
        "emails_about_you": list(
            OutboxMessage.objects.filter(_about(person) | _mentioning(person))
            .exclude(_sent_to(person))
            .values("template", "state", "created_at", "sent_at")
        ),
    }


def erase_messages(person: Correspondent) -> None:
    """The counts of newsletters and e-mails stay; the address and what the mails said go, in
    the mails to the person and in the mails to others about them. None of them is sent now."""
    for subscription in Subscription.objects.filter(_subscribed(person)):
        Subscription.objects.filter(pk=subscription.pk).update(
            email=f"erased-{subscription.pk}@invalid.invalid",
            full_name="",
            consent_ip=None,
            user=None,
            state=Subscription.State.UNSUBSCRIBED,
            unsubscribed_at=subscription.unsubscribed_at or timezone.now(),
        )
    to_them = OutboxMessage.objects.filter(_sent_to(person))
    about_them = OutboxMessage.objects.filter(_about(person) | _mentioning(person))
    for messages in (to_them, about_them):
        messages.filter(state=OutboxMessage.State.PENDING).update(state=OutboxMessage.State.FAILED)
    emptied = {
        "context": {},
        "secret_context": {},
        "headers": {},
        "attachments": [],
        "last_error": "",
    }
    to_them.update(to_email=UNDELIVERABLE, **emptied)
    about_them.update(**emptied)
    for email in person.emails:
        AddressHealth.objects.filter(email__iexact=email).delete()
