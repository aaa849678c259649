"""The outbox: every e-mail is a row first, then delivered at most once per claim.

A row is claimed (pending -> sending) under a lease in a short transaction with a row lock,
sent, then marked sent. A worker killed between the SMTP server's acceptance and that last
commit is the only way a message can go out twice; a worker killed anywhere else loses
nothing, because its lease lapses and the sweep puts its rows back to "pending" (leases.py).
"""

import hashlib
import logging
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import timedelta
from smtplib import SMTPDataError, SMTPRecipientsRefused
from typing import Any
from urllib.parse import urlparse

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import DatabaseError, models, transaction
from django.db import connection as database
from django.db.models import F, Q
from django.utils import timezone, translation

from ankommen.messaging.attachments import build_attachment
from ankommen.messaging.models import AddressHealth, OutboxMessage, OutboxSubject
from ankommen.messaging.newsletter_content import newsletter_context
from ankommen.messaging.rendering import render_mail
from ankommen.messaging.services.leases import Lease

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 7
HARD_FAILURES_BEFORE_SKIPPING = 3
DISPATCH_BATCH_SIZE = 100
SKIPPED = "Skipped: this address failed permanently several times."
EXPIRED = "Expired: its one-time links would no longer work."


class TemporaryDeliveryError(Exception):
    """The mail server could not take the message now; it will be tried again later."""


def enqueue_mail(
    *,
    to_email: str,
    template: str,
    context: dict[str, Any],
    language: str,
    recipient: Any = None,
    idempotency_key: str | None = None,
    category: str = OutboxMessage.Category.TRANSACTIONAL,
    attachments: list[dict[str, Any]] | None = None,
    about: Iterable[models.Model] = (),
    secret_context: dict[str, Any] | None = None,
) -> OutboxMessage:
    """Write the e-mail into the caller's transaction; it is dispatched only after commit.

    With an idempotency key, asking twice for the same logical message yields one row.
    `about` names the people (records) the mail tells its recipient about, so that erasing
    one of them reaches this mail too.
    Links that open something without a password go in `secret_context`: they are gone from
    the row once it is sent or given up.
    """
    message, _created = queue_mail(
        to_email=to_email,
        template=template,
        context=context,
        language=language,
        recipient=recipient,
        idempotency_key=idempotency_key,
        category=category,
        attachments=attachments,
        about=about,
        secret_context=secret_context,
    )
    return message


def queue_mail(
    *,
    to_email: str,
    template: str,
    context: dict[str, Any],
    language: str,
    recipient: Any = None,
    idempotency_key: str | None = None,
    category: str = OutboxMessage.Category.TRANSACTIONAL,
    attachments: list[dict[str, Any]] | None = None,
    about: Iterable[models.Model] = (),
    secret_context: dict[str, Any] | None = None,
) -> tuple[OutboxMessage, bool]:
    """enqueue_mail, also saying whether this call wrote the row (False: the key was used)."""
    defaults = {
        "to_email": to_email,
        "template": template,
        "context": context,
        "secret_context": secret_context or {},
        "has_secrets": bool(secret_context),
        "language": language,
        "recipient": recipient,
        "category": category,
        "attachments": attachments or [],
    }
    if idempotency_key is None:
        message = OutboxMessage.objects.create(**defaults)
    else:
        message, created = OutboxMessage.objects.get_or_create(
            idempotency_key=idempotency_key, defaults=defaults
        )
        if not created:
            return message, False
    _link_subjects(message, about)
    transaction.on_commit(lambda: dispatch_messages(message_ids=[message.pk], category=category))
    return message, True


def _link_subjects(message: OutboxMessage, about: Iterable[models.Model]) -> None:
    people = {(type(person), person.pk): person for person in about if person is not None}
    OutboxSubject.objects.bulk_create(
        [
            OutboxSubject(
                message=message,
                subject_type=ContentType.objects.get_for_model(person),
                subject_id=person.pk,
            )
            for person in people.values()
        ]
    )


def enqueue_mail_to_user(
    *,
    user: Any,
    template: str,
    context: dict[str, Any],
    idempotency_key: str | None = None,
    attachments: list[dict[str, Any]] | None = None,
    about: Iterable[models.Model] = (),
    secret_context: dict[str, Any] | None = None,
) -> OutboxMessage | None:
    """An e-mail to one person, in their language and addressed by the name they go by; people
    without an address (most newcomers) get nothing here and see things in their view."""
    if user is None or not user.email:
        return None
    return enqueue_mail(
        to_email=user.email,
        recipient=user,
        template=template,
        language=user.preferred_language,
        context={"user_display": user.display_name, **context},
        idempotency_key=idempotency_key,
        attachments=attachments,
        about=about,
        secret_context=secret_context,
    )


def queue_for(category: str) -> str:
    """A newsletter waits in a queue of its own, so it never delays a password reset."""
    if category == OutboxMessage.Category.NEWSLETTER:
        return str(settings.BULK_MAIL_QUEUE)
    return str(settings.MAIL_QUEUE)


def dispatch_messages(*, message_ids: Sequence[int], category: str | None = None) -> None:
    """Hand rows to the workers; if the broker is away they wait for the beat job.

    Without a category the rows' own categories choose their queues (beat's safety net and
    the admin hand over mixed ids).
    """
    from ankommen.messaging.tasks import deliver_messages_task  # noqa: PLC0415 (tasks import us)

    categories: dict[int, str] = (
        {}
        if category
        else dict(OutboxMessage.objects.filter(pk__in=message_ids).values_list("pk", "category"))
    )
    by_queue: dict[str, list[int]] = {}
    for pk in message_ids:
        row_category = category or categories.get(pk, OutboxMessage.Category.TRANSACTIONAL)
        by_queue.setdefault(queue_for(row_category), []).append(pk)
    # Mail first: when beat hands over a backlog, the people waiting for a link come first.
    for queue in sorted(by_queue, key=lambda name: name != settings.MAIL_QUEUE):
        ids = by_queue[queue]
        for start in range(0, len(ids), DISPATCH_BATCH_SIZE):
            batch = ids[start : start + DISPATCH_BATCH_SIZE]
            try:
                deliver_messages_task.apply_async(kwargs={"message_ids": batch}, queue=queue)
            except Exception:  # the broker client raises many kinds; none may break the caller
                logger.warning("Could not queue %d outbox messages; beat will retry.", len(batch))
                return


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))


def message_id_header(message: OutboxMessage) -> str:
    """The same Message-ID on every attempt, so a mail server and a test can spot repeats."""
    digest = hashlib.sha256(str(message.idempotency_key).encode()).hexdigest()[:16]
    domain = urlparse(settings.PORTAL_URL).hostname or "ankommen.invalid"
    return f"<outbox.{message.pk}.{digest}@{domain}>"


def deliver_messages(*, message_ids: Iterable[int]) -> int:
    """Send the rows that are still pending; return how many were sent.

    Raises TemporaryDeliveryError after putting unsent rows back, so the task can retry.
    """
    # Beat's sweep waits in the queue behind busy workers; here it costs one indexed query and
    # a dead worker's rows go out again as soon as any delivery starts after its lease lapsed.
    reclaim_lapsed_messages()
    lease = Lease()
    # The whole task's rows at once: a killed worker then leaves no pending row whose only
    # task is stuck unacknowledged in the broker; all it had come back when its lease lapses.
    claimed = _claim(sorted(set(message_ids)), lease=lease)
    if not claimed:
        return 0
    sent = 0
    failed_addresses: set[str] = set()  # skipped from now on, also within this batch
    connection = get_connection()
    try:
        with lease.kept(), _commits_without_waiting_for_disk():
            connection.open()  # one SMTP session for the batch, not one per message
            for position, message in enumerate(claimed):
                if message.to_email.lower() in failed_addresses:
                    _skip(message)
                    continue
                # Only when renewal has stalled (a database blip) can the lease be near its
                # end; then this row may already be another worker's.
                if not lease.covers_a_send() and not _still_ours(message, lease=lease):
                    continue
                try:
                    outcome = _send(message, connection)
                except TemporaryDeliveryError:
                    _release([m.pk for m in claimed[position + 1 :]], lease=lease)
                    raise
                if outcome is None:
                    sent += 1
                elif outcome.suppressed_at is not None:
                    failed_addresses.add(outcome.email)
    finally:
        connection.close()
    return sent


def deliver_message(*, message_id: int) -> bool:
    return deliver_messages(message_ids=[message_id]) == 1


def _claim(message_ids: list[int], *, lease: Lease) -> list[OutboxMessage]:
    """Lock and take the pending rows; rows another worker holds are skipped, not waited for."""
    asked_at = time.monotonic()
    with transaction.atomic():
        messages = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(pk__in=message_ids, state=OutboxMessage.State.PENDING)
            .order_by("pk")
        )
        if not messages:
            return []
        skipped = set(
            AddressHealth.objects.filter(
                email__in={m.to_email.lower() for m in messages}, suppressed_at__isnull=False
            ).values_list("email", flat=True)
        )
        now = timezone.now()
        doomed = [m.pk for m in messages if m.to_email.lower() in skipped]
        OutboxMessage.objects.filter(pk__in=doomed).finish(
            state=OutboxMessage.State.FAILED, last_error=SKIPPED
        )
        claimed = [m for m in messages if m.pk not in doomed]
        _write_in_current_language(claimed)
        OutboxMessage.objects.filter(pk__in=[m.pk for m in claimed]).update(
            state=OutboxMessage.State.SENDING,
            attempts=F("attempts") + 1,
            claimed_by=lease.token,
            lease_until=lease.until(),
            updated_at=now,
        )
    lease.granted(asked_at=asked_at)
    for message in claimed:
        message.state = OutboxMessage.State.SENDING
        message.attempts += 1
        message.claimed_by = lease.token
    return claimed


def _write_in_current_language(messages: list[OutboxMessage]) -> None:
    """A mail goes out in the language its recipient reads now, not the one they had when it
    was queued (a reminder queued yesterday, a newsletter to a subscription made years ago);
    dates in its context are raw and written in that language when it is rendered."""
    reader_ids = {m.recipient_id for m in messages if m.recipient_id}
    if not reader_ids:
        return
    readers = dict(
        get_user_model().objects.filter(pk__in=reader_ids).values_list("pk", "preferred_language")
    )
    changed: dict[str, list[int]] = {}
    for message in messages:
        language = readers.get(message.recipient_id)
        if language and language != message.language:
            message.language = language
            changed.setdefault(language, []).append(message.pk)
    for language, message_ids in changed.items():
        OutboxMessage.objects.filter(pk__in=message_ids).update(language=language)


def _still_ours(message: OutboxMessage, *, lease: Lease) -> bool:
    """Renew this row's lease just before sending; False if it lapsed and the row was taken
    back (and perhaps claimed by another worker), so sending it now could send it twice."""
    return bool(
        OutboxMessage.objects.filter(
            pk=message.pk, state=OutboxMessage.State.SENDING, claimed_by=lease.token
        ).update(lease_until=lease.until())
    )


def _release(message_ids: list[int], *, lease: Lease) -> None:
    """Rows claimed but not tried go back untouched: this claim does not count as an attempt."""
    OutboxMessage.objects.filter(
        pk__in=message_ids, state=OutboxMessage.State.SENDING, claimed_by=lease.token
    ).update(
        state=OutboxMessage.State.PENDING, attempts=F("attempts") - 1, updated_at=timezone.now()
    )


def _skip(message: OutboxMessage) -> None:
    OutboxMessage.objects.filter(pk=message.pk).finish(
        state=OutboxMessage.State.FAILED, last_error=SKIPPED
    )


def _send(message: OutboxMessage, connection: Any) -> AddressHealth | None:
    """None when sent; the address's health after a permanent failure."""
    try:
        context = {**message.context, **message.secret_context}
        newsletter_id = message.newsletter_id or context.get("newsletter_id")
        if newsletter_id:
            content = newsletter_context(
                newsletter_id, message.language, context.get("newsletter_stamp", "")
            )
            context = {**content, **context}
        rendered = render_mail(
            template=message.template, context=context, language=message.language
        )
        email = EmailMultiAlternatives(
            subject=rendered.subject,
            body=rendered.text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.to_email],
            headers={
                "Message-ID": message_id_header(message),
                **message.headers,
                **one_click_unsubscribe_headers(message.secret_context),
            },
            connection=connection,
        )
        email.attach_alternative(rendered.html, "text/html")
        # A calendar entry names the course and place in the reader's version too.
        with translation.override(message.language):
            for spec in message.attachments:
                email.attach(*build_attachment(spec))
        email.send()
    except (SMTPRecipientsRefused, SMTPDataError) as error:
        if _is_permanent(error):
            return _fail(message, error, permanent=True)
        _retry_later(message, error)
        raise TemporaryDeliveryError(_describe(error, message)) from error
    except Exception as error:  # mail server away, timeouts, a broken template: try later
        _retry_later(message, error)
        raise TemporaryDeliveryError(_describe(error, message)) from error
    # The sooner this commits after the server's 250, the narrower the only window in which
    # a killed worker sends a message twice (see _commits_without_waiting_for_disk).
    OutboxMessage.objects.filter(pk=message.pk).finish(
        state=OutboxMessage.State.SENT, sent_at=timezone.now(), last_error=""
    )
    return None


@contextmanager
def _commits_without_waiting_for_disk() -> Iterator[None]:
    """PostgreSQL answers this run's commits before flushing them to disk.

    A worker killed between the mail server's acceptance and the commit of "sent" sends the
    message again; the disk flush (4 ms, far more under load) was most of that window. The
    commit is in the database server's memory at once and on disk within three times
    wal_writer_delay (0.6 s): only a crash of the database server itself in that fraction of
    a second could undo a mark, and then the message goes out twice; it is never lost.
    """
    if database.vendor != "postgresql":
        yield
        return
    with database.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
    try:
        yield
    finally:
        with suppress(DatabaseError), database.cursor() as cursor:  # a dropped connection
            cursor.execute("RESET synchronous_commit")  # ... took the setting with it


def one_click_unsubscribe_headers(secret_context: dict[str, Any]) -> dict[str, str]:
    """RFC 8058 headers, built when sending: the link is a secret and is not stored twice."""
    url = secret_context.get("unsubscribe_url")
    if not url:
        return {}
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def _is_permanent(error: Exception) -> bool:
    """5xx answers about the recipient are permanent; 4xx ones are worth another try."""
    if isinstance(error, SMTPRecipientsRefused):
        return all(500 <= code < 600 for code, _reason in error.recipients.values())
    return 500 <= getattr(error, "smtp_code", 0) < 600


def _describe(error: Exception, message: OutboxMessage) -> str:
    """The error for the delivery log and the worker's log, with the message's one-time links
    blanked out: a mail server may echo them."""
    text = f"{type(error).__name__}: {error}"
    for secret in _secret_strings(message.secret_context):
        text = text.replace(secret, "[one-time link]")
    return text[:2000]


def _secret_strings(value: Any) -> Iterator[str]:
    """The links in a secret context; short values beside them (answer names) are no secret."""
    if isinstance(value, str):
        if len(value) >= 16:
            yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _secret_strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _secret_strings(item)


def _retry_later(message: OutboxMessage, error: Exception) -> None:
    if message.attempts >= MAX_ATTEMPTS:
        _fail(message, error, permanent=False)
        return
    OutboxMessage.objects.filter(pk=message.pk).update(
        state=OutboxMessage.State.PENDING,
        last_error=_describe(error, message),
        next_attempt_at=timezone.now() + backoff(message.attempts),
        updated_at=timezone.now(),
    )


def _fail(message: OutboxMessage, error: Exception, *, permanent: bool) -> AddressHealth | None:
    OutboxMessage.objects.filter(pk=message.pk).finish(
        state=OutboxMessage.State.FAILED, last_error=_describe(error, message)
    )
    if permanent:
        return record_hard_failure(email=message.to_email, error=_describe(error, message))
    return None


def record_hard_failure(*, email: str, error: str) -> AddressHealth:
    """After repeated hard failures an address is skipped: retrying it only hurts reputation."""
    with transaction.atomic():
        health, _created = AddressHealth.objects.select_for_update().get_or_create(
            email=email.lower()
        )
        health.hard_failures += 1
        health.last_error = error
        health.last_failure_at = timezone.now()
        if health.hard_failures >= HARD_FAILURES_BEFORE_SKIPPING and health.suppressed_at is None:
            health.suppressed_at = health.last_failure_at
        health.save()
    return health


def mark_failed(*, message_id: int, error: str) -> None:
    """When a task gives up, the row shows the failure instead of hiding it."""
    OutboxMessage.objects.filter(pk=message_id).exclude(state=OutboxMessage.State.SENT).finish(
        state=OutboxMessage.State.FAILED, last_error=error[:2000]
    )


def reclaim_lapsed_messages() -> int:
    """Rows whose worker stopped renewing its lease (it died) go back to pending and out again.

    Rows claimed before leases existed have none; they wait out OUTBOX_SENDING_TIMEOUT.
    """
    now = timezone.now()
    lapsed = Q(lease_until__lt=now) | Q(
        lease_until__isnull=True, updated_at__lt=now - settings.OUTBOX_SENDING_TIMEOUT
    )
    with transaction.atomic():
        # Locked rows are being renewed or claimed right now: alive, skipped, not waited for.
        reclaimed = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(lapsed, state=OutboxMessage.State.SENDING)
            .order_by("pk")
            .values_list("pk", flat=True)[: settings.OUTBOX_REDISPATCH_LIMIT]
        )
        OutboxMessage.objects.filter(pk__in=reclaimed).update(
            state=OutboxMessage.State.PENDING, next_attempt_at=now, updated_at=now
        )
    if reclaimed:
        logger.warning("Reclaimed %d outbox messages from a dead worker.", len(reclaimed))
        transaction.on_commit(lambda: dispatch_messages(message_ids=reclaimed))
    return len(reclaimed)


def dispatch_due_messages() -> int:
    """Beat's safety net: queue again rows whose task was lost, and free rows stuck sending.

    A row with one-time links still unsent after OUTBOX_SECRETS_EXPIRE_AFTER is given up: its
    links would no longer work anyway.
    """
    now = timezone.now()
    OutboxMessage.objects.filter(
        state=OutboxMessage.State.PENDING,
        has_secrets=True,
        created_at__lt=now - settings.OUTBOX_SECRETS_EXPIRE_AFTER,
    ).finish(state=OutboxMessage.State.FAILED, last_error=EXPIRED)
    reclaim_lapsed_messages()
    due = list(
        OutboxMessage.objects.filter(
            state=OutboxMessage.State.PENDING,
            next_attempt_at__lt=now - settings.OUTBOX_REDISPATCH_AFTER,
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[: settings.OUTBOX_REDISPATCH_LIMIT]
    )
    # Rows handed out now are not due again for a while, so a slow queue does not balloon.
    OutboxMessage.objects.filter(pk__in=due).update(next_attempt_at=now)
    dispatch_messages(message_ids=due)
    return len(due)
