import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from ankommen.messaging.models import OutboxMessage
from ankommen.messaging.rendering import render_mail

logger = logging.getLogger(__name__)

# A row pending this long lost its task (broker down at commit, worker killed): send it again.
REDISPATCH_AFTER = timedelta(minutes=2)


def enqueue_mail(
    *,
    to_email: str,
    template: str,
    context: dict[str, Any],
    language: str,
    recipient: Any = None,
    idempotency_key: str | None = None,
) -> OutboxMessage:
    """Write the e-mail into the caller's transaction; it is dispatched only after commit.

    With an idempotency key, asking twice for the same logical message yields one row.
    """
    defaults = {
        "to_email": to_email,
        "template": template,
        "context": context,
        "language": language,
        "recipient": recipient,
    }
    if idempotency_key is None:
        message = OutboxMessage.objects.create(**defaults)
    else:
        message, created = OutboxMessage.objects.get_or_create(
            idempotency_key=idempotency_key, defaults=defaults
        )
        if not created:
            return message
    transaction.on_commit(lambda: dispatch_message(message_id=message.pk))
    return message


def dispatch_message(*, message_id: int) -> None:
    """Hand a row to the workers; if the broker is away the row waits for the beat job."""
    from ankommen.messaging.tasks import deliver_message_task  # noqa: PLC0415 (tasks import us)

    try:
        deliver_message_task.delay(message_id=message_id)
    except Exception:  # the broker client raises many kinds; none may break the request
        logger.warning("Could not queue outbox message %s; beat will retry.", message_id)


def deliver_message(*, message_id: int) -> bool:
    """Send one pending row at most once; a row in any other state is left alone.

    The row is claimed (pending -> sending) in its own short transaction, so a second worker
    that receives the same task sees 'sending' and skips it.
    """
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update()
            .filter(pk=message_id, state=OutboxMessage.State.PENDING)
            .first()
        )
        if message is None:
            return False
        message.state = OutboxMessage.State.SENDING
        message.attempts += 1
        message.save(update_fields=["state", "attempts", "updated_at"])

    try:
        rendered = render_mail(
            template=message.template, context=message.context, language=message.language
        )
        email = EmailMultiAlternatives(
            subject=rendered.subject,
            body=rendered.text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.to_email],
        )
        if rendered.html:
            email.attach_alternative(rendered.html, "text/html")
        email.send()
    except Exception as error:
        message.state = OutboxMessage.State.PENDING
        message.last_error = f"{type(error).__name__}: {error}"
        message.save(update_fields=["state", "last_error", "updated_at"])
        raise

    message.state = OutboxMessage.State.SENT
    message.sent_at = timezone.now()
    message.last_error = ""
    message.save(update_fields=["state", "sent_at", "last_error", "updated_at"])
    return True


def mark_failed(*, message_id: int, error: str) -> None:
    """After the last retry the row stays visible as failed, with the error that stopped it."""
    OutboxMessage.objects.filter(pk=message_id).exclude(state=OutboxMessage.State.SENT).update(
        state=OutboxMessage.State.FAILED, last_error=error[:2000], updated_at=timezone.now()
    )


def dispatch_pending_messages(*, older_than: timedelta = REDISPATCH_AFTER) -> int:
    """Queue again every row still pending after its task should long have run."""
    cutoff = timezone.now() - older_than
    message_ids = list(
        OutboxMessage.objects.filter(
            state=OutboxMessage.State.PENDING, updated_at__lt=cutoff
        ).values_list("pk", flat=True)[:1000]
    )
    for message_id in message_ids:
        dispatch_message(message_id=message_id)
    return len(message_ids)
