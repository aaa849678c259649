"""What the messaging kernel holds about a person: subscriptions and the e-mails sent to them."""

from typing import Any

from django.db.models import Q
from django.utils import timezone

from ankommen.messaging.models import AddressHealth, OutboxMessage, Subscription
from ankommen.privacy.serialize import records

UNDELIVERABLE = "erased@invalid.invalid"


def _about(user: Any, email: str) -> Q:
    q = Q(pk__in=[])
    if user is not None:
        q |= Q(user=user)
    if email:
        q |= Q(email__iexact=email)
    return q


def export_messages(user: Any, email: str) -> dict[str, Any]:
    sent_to = Q(recipient=user) if user is not None else Q(pk__in=[])
    if email:
        sent_to |= Q(to_email__iexact=email)
    return {
        "subscriptions": records(
            Subscription.objects.filter(_about(user, email)), exclude=("user", "unsubscribed_via")
        ),
        "emails": list(
            OutboxMessage.objects.filter(sent_to).values(
                "template", "to_email", "language", "state", "created_at", "sent_at"
            )
        ),
    }


def erase_messages(user: Any, email: str) -> None:
    """The counts of newsletters and e-mails stay; the address and what the mails said go."""
    for subscription in Subscription.objects.filter(_about(user, email)):
        Subscription.objects.filter(pk=subscription.pk).update(
            email=f"erased-{subscription.pk}@invalid.invalid",
            full_name="",
            consent_ip=None,
            user=None,
            state=Subscription.State.UNSUBSCRIBED,
            unsubscribed_at=subscription.unsubscribed_at or timezone.now(),
        )
    sent_to = Q(recipient=user) if user is not None else Q(pk__in=[])
    if email:
        sent_to |= Q(to_email__iexact=email)
    # Not yet sent: never send it now.
    OutboxMessage.objects.filter(sent_to, state=OutboxMessage.State.PENDING).update(
        state=OutboxMessage.State.FAILED
    )
    OutboxMessage.objects.filter(sent_to).update(
        to_email=UNDELIVERABLE,
        context={},
        secret_context={},
        headers={},
        attachments=[],
        last_error="",
    )
    if email:
        AddressHealth.objects.filter(email__iexact=email).delete()
