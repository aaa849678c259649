"""Demo newsletters: subscribers, two sent newsletters with their delivery log, and a draft."""

from datetime import datetime, timedelta

from django.utils import timezone

from ankommen.accounts.models import Role, User
from ankommen.messaging.models import Newsletter, OutboxMessage, Subscription
from ankommen.messaging.services.subscriptions import consent_text
from ankommen.operations.demo import DemoContext, SizeOption, register_seeder

MONTHS = [
    "Januar", "Februar", "März", "April", "Mai", "Juni",
    "Juli", "August", "September", "Oktober", "November", "Dezember",
]  # fmt: skip
SENT = [
    (
        "Rundbrief Oktober",
        "Liebe Ehrenamtliche,\n\n**danke** für einen großartigen Herbst! Die AG *Wohnen* "
        "sucht Verstärkung für Besichtigungen.",
    ),
    (
        "Rundbrief November",
        "Liebe Ehrenamtliche,\n\nim Dezember beginnen neue Schulungen:\n\n"
        "- Grundlagenschulung für Patenschaften\n- Interkulturelle Kommunikation",
    ),
]


@register_seeder(
    "messaging",
    order=50,
    sizes=(
        SizeOption("subscriber_percent", 60, "Share of volunteers who get the newsletter"),
        SizeOption("newsletters", len(SENT), "Newsletters already sent, one a month"),
    ),
)
def seed_messaging(context: DemoContext) -> dict[str, int]:
    now = timezone.now()
    volunteers = list(
        User.objects.filter(role=Role.VOLUNTEER, email__isnull=False)
        .order_by("pk")
        .values_list("pk", "email", "full_name", "preferred_language")
    )
    chosen = [
        v for v in volunteers if context.rng.randrange(100) < context.sizes["subscriber_percent"]
    ]
    Subscription.objects.bulk_create(
        [
            Subscription(
                email=email,
                user_id=pk,
                full_name=name,
                language=language,
                state=Subscription.State.CONFIRMED,
                consent_text=consent_text(language),
                consented_at=now - timedelta(days=90),
                confirmed_at=now - timedelta(days=90),
            )
            for pk, email, name, language in chosen
        ],
        batch_size=2000,
        ignore_conflicts=True,
    )
    coordinator = User.objects.filter(role=Role.COORDINATOR).order_by("pk").first()
    subscriptions = list(Subscription.objects.values_list("pk", "email", "user_id", "language"))
    messages = 0
    for subject, body, sent_at in _sent_newsletters(context.sizes["newsletters"], now):
        newsletter = Newsletter.objects.create(
            subject=subject,
            body=body,
            state=Newsletter.State.SENT,
            recipients_total=len(subscriptions),
            created_by=coordinator,
            sending_started_at=sent_at,
            fanned_out_at=sent_at,
            sent_at=sent_at,
        )
        rows = [
            OutboxMessage(
                to_email=email,
                recipient_id=user_id,
                category=OutboxMessage.Category.NEWSLETTER,
                newsletter=newsletter,
                template="messaging/email/newsletter",
                language=language,
                idempotency_key=f"newsletter:{newsletter.pk}:{pk}",
                state=OutboxMessage.State.SENT,
                attempts=1,
                sent_at=sent_at,
            )
            for pk, email, user_id, language in subscriptions
        ]
        OutboxMessage.objects.bulk_create(rows, batch_size=5000, ignore_conflicts=True)
        messages += len(rows)
    Newsletter.objects.create(
        subject="Rundbrief Dezember",
        body="Liebe Ehrenamtliche,\n\n*Entwurf*: Termine für die Weihnachtsfeier folgen.",
        created_by=coordinator,
    )
    return {
        "subscribers": len(subscriptions),
        "newsletters": context.sizes["newsletters"] + 1,
        "sent e-mails": messages,
    }


def _sent_newsletters(count: int, now: datetime) -> list[tuple[str, str, datetime]]:
    """The two written ones are the newest; a longer history has one a month before them."""
    written = [
        (subject, body, now - timedelta(weeks=weeks))
        for (subject, body), weeks in zip(SENT, (6, 2), strict=True)
    ]
    older = []
    for months_back in range(count - len(written), 0, -1):
        sent_at = now - timedelta(weeks=6, days=30 * months_back)
        subject = f"Rundbrief {MONTHS[sent_at.month - 1]} {sent_at.year}"
        older.append((subject, "Liebe Ehrenamtliche,\n\nhier sind die Neuigkeiten.", sent_at))
    return (older + written)[-count:] if count else []
