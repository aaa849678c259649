"""Demo newsletters: subscribers, two sent newsletters with their delivery log, and a draft."""

from datetime import timedelta

from django.utils import timezone

from ankommen.accounts.models import Role, User
from ankommen.messaging.models import Newsletter, OutboxMessage, Subscription
from ankommen.messaging.services.subscriptions import consent_text
from ankommen.operations.demo import DemoContext, SizeOption, register_seeder

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
    sizes=(SizeOption("subscriber_percent", 60, "Share of volunteers who get the newsletter"),),
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
    for weeks_ago, (subject, body) in zip((6, 2), SENT, strict=True):
        sent_at = now - timedelta(weeks=weeks_ago)
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
    return {"subscribers": len(subscriptions), "newsletters": 3, "sent e-mails": messages}
