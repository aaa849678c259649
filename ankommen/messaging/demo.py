"""Demo newsletters: subscribers, two sent newsletters with their delivery log, and a draft."""

from datetime import datetime, timedelta

from django.db import connection
from django.utils import timezone

from ankommen.accounts.models import Role, User
from ankommen.messaging.models import Newsletter, OutboxMessage, Subscription
from ankommen.messaging.services.subscriptions import consent_text
from ankommen.operations.demo import DemoContext, SizeOption, demo_seeder

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


@demo_seeder(
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
    subscribers = Subscription.objects.count()
    messages = 0
    for subject, body, sent_at in _sent_newsletters(context.sizes["newsletters"], now):
        newsletter = Newsletter.objects.create(
            subject=subject,
            body=body,
            state=Newsletter.State.SENT,
            recipients_total=subscribers,
            created_by=coordinator,
            sending_started_at=sent_at,
            fanned_out_at=sent_at,
            sent_at=sent_at,
        )
        messages += _deliveries_to_every_subscriber(newsletter, sent_at)
    Newsletter.objects.create(
        subject="Rundbrief Dezember",
        body="Liebe Ehrenamtliche,\n\n*Entwurf*: Termine für die Weihnachtsfeier folgen.",
        created_by=coordinator,
    )
    return {
        "subscribers": subscribers,
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


def _deliveries_to_every_subscriber(newsletter: Newsletter, sent_at: datetime) -> int:
    """The sent newsletter's outbox rows, one per subscriber, written by the database itself
    (INSERT … SELECT): as 100,000 model instances they were a third of the city-size seed."""
    from_subscription = {
        "to_email": "s.email",
        "recipient_id": "s.user_id",
        "language": "s.language",
        "idempotency_key": "%s || CAST(s.id AS TEXT)",
    }
    values = {
        "category": OutboxMessage.Category.NEWSLETTER,
        "newsletter_id": newsletter.pk,
        "template": "messaging/email/newsletter",
        "state": OutboxMessage.State.SENT,
        "attempts": 1,
        **dict.fromkeys(["next_attempt_at", "created_at", "updated_at", "sent_at"], sent_at),
    }
    columns, selected, params = [], [], []
    for field in OutboxMessage._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(connection.ops.quote_name(field.column))
        if field.attname in from_subscription:
            selected.append(from_subscription[field.attname])
            if field.attname == "idempotency_key":
                params.append(f"newsletter:{newsletter.pk}:")
        else:
            selected.append("%s")
            value = values.get(field.attname, field.get_default())
            params.append(field.get_db_prep_save(value, connection))
    # Only quoted names from the model's own meta go into the text; values are parameters.
    sql = (
        f"INSERT INTO {connection.ops.quote_name(OutboxMessage._meta.db_table)} "  # noqa: S608
        f"({', '.join(columns)}) SELECT {', '.join(selected)} "
        f"FROM {connection.ops.quote_name(Subscription._meta.db_table)} s ORDER BY s.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount
