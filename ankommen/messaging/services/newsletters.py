"""Sending a newsletter: a test to oneself, a schedule, then a background fan-out.

The fan-out writes one outbox row per recipient with the key "newsletter:<id>:<subscription>",
so however often it runs (a worker killed half-way, beat starting it again), each recipient
has exactly one row and so gets the newsletter once.
"""

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from ankommen.accounts.models import User
from ankommen.messaging.models import Newsletter, OutboxMessage
from ankommen.messaging.newsletter_content import sending_stamp
from ankommen.messaging.segments import get_segment, recipients_for
from ankommen.messaging.services.outbox import dispatch_messages, enqueue_mail
from ankommen.messaging.services.subscriptions import unsubscribe_url

FAN_OUT_BATCH = 500
NEWSLETTER_TEMPLATE = "messaging/email/newsletter"


class NewsletterStateError(Exception):
    """The newsletter is not in a state that allows this."""


def _check_ready(newsletter: Newsletter) -> None:
    if not newsletter.is_editable:
        raise NewsletterStateError(_("This newsletter has already been sent."))
    if get_segment(newsletter.segment_kind) is None:
        raise NewsletterStateError(_("Please choose who should receive the newsletter."))
    if not recipients_for(newsletter.segment_kind, newsletter.segment_value).exists():
        raise NewsletterStateError(_("Nobody in this group has subscribed to the newsletter."))


def send_test_newsletter(*, newsletter: Newsletter, to_user: User) -> OutboxMessage:
    """The writer sees exactly what recipients will see, in their own inbox."""
    if not to_user.email:
        raise NewsletterStateError(_("Your account has no e-mail address."))
    return enqueue_mail(
        to_email=to_user.email,
        template=NEWSLETTER_TEMPLATE,
        context={"newsletter_id": newsletter.pk, "is_test": True},
        language=to_user.preferred_language,
        recipient=to_user,
        category=OutboxMessage.Category.NEWSLETTER,
    )


@transaction.atomic
def schedule_newsletter(*, newsletter: Newsletter, send_at: datetime) -> Newsletter:
    newsletter = Newsletter.objects.select_for_update().get(pk=newsletter.pk)
    _check_ready(newsletter)
    if send_at <= timezone.now():
        raise NewsletterStateError(_("Please choose a time in the future."))
    newsletter.state = Newsletter.State.SCHEDULED
    newsletter.scheduled_at = send_at
    newsletter.save(update_fields=["state", "scheduled_at", "updated_at"])
    return newsletter


@transaction.atomic
def cancel_schedule(*, newsletter: Newsletter) -> Newsletter:
    newsletter = Newsletter.objects.select_for_update().get(pk=newsletter.pk)
    if newsletter.state != Newsletter.State.SCHEDULED:
        raise NewsletterStateError(_("This newsletter is not scheduled."))
    newsletter.state = Newsletter.State.DRAFT
    newsletter.scheduled_at = None
    newsletter.save(update_fields=["state", "scheduled_at", "updated_at"])
    return newsletter


@transaction.atomic
def send_newsletter_now(*, newsletter: Newsletter) -> Newsletter:
    """The request returns at once; the fan-out and delivery run in the background."""
    newsletter = Newsletter.objects.select_for_update().get(pk=newsletter.pk)
    _check_ready(newsletter)
    _start_sending(newsletter)
    return newsletter


def _start_sending(newsletter: Newsletter) -> None:
    from ankommen.messaging.tasks import fan_out_newsletter_task  # noqa: PLC0415 (cycle)

    newsletter.state = Newsletter.State.SENDING
    newsletter.sending_started_at = timezone.now()
    newsletter.recipients_total = recipients_for(
        newsletter.segment_kind, newsletter.segment_value
    ).count()
    newsletter.save(update_fields=["state", "sending_started_at", "recipients_total", "updated_at"])
    newsletter_id = newsletter.pk

    def queue_fan_out() -> None:
        try:
            fan_out_newsletter_task.delay(newsletter_id=newsletter_id)
        except Exception:  # broker away: beat starts the fan-out once it is back
            return

    transaction.on_commit(queue_fan_out)


def fan_out_newsletter(*, newsletter_id: int) -> int:
    """One outbox row per recipient, written and dispatched in batches with flat memory."""
    newsletter = Newsletter.objects.filter(pk=newsletter_id, state=Newsletter.State.SENDING).first()
    if newsletter is None:
        return 0
    recipients = recipients_for(newsletter.segment_kind, newsletter.segment_value)
    stamp = sending_stamp(newsletter)
    last_pk = 0
    written = 0
    while True:
        batch = list(
            recipients.filter(pk__gt=last_pk)
            .order_by("pk")
            .only("pk", "email", "full_name", "language", "user_id")
            # A subscriber with an account reads it in the account's language of today.
            .annotate(reader_language=Coalesce("user__preferred_language", "language"))[
                :FAN_OUT_BATCH
            ]
        )
        if not batch:
            break
        last_pk = batch[-1].pk
        rows = []
        for subscription in batch:
            url = unsubscribe_url(subscription, newsletter.pk)
            rows.append(
                OutboxMessage(
                    to_email=subscription.email,
                    recipient_id=subscription.user_id,
                    category=OutboxMessage.Category.NEWSLETTER,
                    newsletter=newsletter,
                    template=NEWSLETTER_TEMPLATE,
                    context={"recipient_name": subscription.full_name, "newsletter_stamp": stamp},
                    # The one-click headers are built from it when sending.
                    secret_context={"unsubscribe_url": url},
                    has_secrets=True,
                    language=subscription.reader_language,
                    idempotency_key=f"newsletter:{newsletter.pk}:{subscription.pk}",
                )
            )
        OutboxMessage.objects.bulk_create(rows, ignore_conflicts=True)
        written += len(rows)
        dispatch_messages(
            message_ids=list(
                OutboxMessage.objects.filter(
                    idempotency_key__in=[row.idempotency_key for row in rows],
                    state=OutboxMessage.State.PENDING,
                ).values_list("pk", flat=True)
            ),
            category=OutboxMessage.Category.NEWSLETTER,
        )
    Newsletter.objects.filter(pk=newsletter.pk).update(fanned_out_at=timezone.now())
    return written


def send_scheduled_newsletters() -> None:
    """Beat: start what is due, restart lost fan-outs, and close newsletters fully delivered."""
    now = timezone.now()
    due = Newsletter.objects.filter(state=Newsletter.State.SCHEDULED, scheduled_at__lte=now)
    for newsletter_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            newsletter = (
                Newsletter.objects.select_for_update()
                .filter(pk=newsletter_id, state=Newsletter.State.SCHEDULED)
                .first()
            )
            if newsletter is not None:
                _start_sending(newsletter)

    from ankommen.messaging.tasks import fan_out_newsletter_task  # noqa: PLC0415 (cycle)

    stalled = Newsletter.objects.filter(
        state=Newsletter.State.SENDING,
        fanned_out_at__isnull=True,
        sending_started_at__lt=now - settings.OUTBOX_FAN_OUT_GRACE,
    )
    for newsletter_id in stalled.values_list("pk", flat=True):
        fan_out_newsletter_task.delay(newsletter_id=newsletter_id)

    unfinished = OutboxMessage.objects.filter(
        state__in=[OutboxMessage.State.PENDING, OutboxMessage.State.SENDING]
    )
    Newsletter.objects.filter(state=Newsletter.State.SENDING, fanned_out_at__isnull=False).exclude(
        pk__in=unfinished.filter(newsletter__isnull=False).values("newsletter_id")
    ).update(state=Newsletter.State.SENT, sent_at=now)
