"""The confirmed readers a newsletter benchmark sends to, written in bulk."""


def replace_subscribers(recipients: int, *, domain: str, languages: list[str]) -> None:
    """Empties the outbox, newsletters and subscriptions, then writes `recipients` confirmed
    readers spread over `languages`. Imported late: callers set Django up first."""
    from django.utils import timezone  # noqa: PLC0415

    from ankommen.messaging.models import Newsletter, OutboxMessage, Subscription  # noqa: PLC0415

    OutboxMessage.objects.all().delete()
    Newsletter.objects.all().delete()
    Subscription.objects.all().delete()
    now = timezone.now()
    Subscription.objects.bulk_create(
        [
            Subscription(
                email=f"reader{number:06d}@{domain}",
                full_name=f"Reader {number}",
                language=languages[number % len(languages)],
                state=Subscription.State.CONFIRMED,
                consent_text="I would like to receive the newsletter.",
                consented_at=now,
                confirmed_at=now,
            )
            for number in range(recipients)
        ],
        batch_size=5000,
    )
