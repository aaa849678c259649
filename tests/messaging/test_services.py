from datetime import timedelta
from smtplib import SMTPException
from unittest import mock

import pytest
from django.db import transaction
from django.utils import timezone

from ankommen.messaging.models import OutboxMessage
from ankommen.messaging.services import outbox
from ankommen.messaging.services.leases import Lease
from ankommen.messaging.services.outbox import (
    TemporaryDeliveryError,
    deliver_message,
    dispatch_due_messages,
    enqueue_mail,
    mark_failed,
)
from tests.brokers import celery_broker
from tests.factories import OutboxMessageFactory

pytestmark = pytest.mark.django_db

SEND = "django.core.mail.EmailMultiAlternatives.send"


def _enqueue(**overrides):
    arguments = {
        "to_email": "amina@example.org",
        "template": "account/email/password_changed",
        "context": {"user_display": "Amina"},
        "language": "de",
    }
    return enqueue_mail(**{**arguments, **overrides})


def test_enqueue_sends_only_after_the_transaction_commits(
    django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message = _enqueue()
        assert mailoutbox == []

    assert len(callbacks) == 1
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.SENT
    assert message.sent_at is not None
    assert len(mailoutbox) == 1


def test_enqueue_in_a_rolled_back_transaction_leaves_nothing(
    django_capture_on_commit_callbacks, mailoutbox
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        _enqueue()
        raise RuntimeError

    assert callbacks == []
    assert not OutboxMessage.objects.exists()
    assert mailoutbox == []


def test_same_idempotency_key_yields_one_message(django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        first = _enqueue(idempotency_key="training-42-reminder-7")
        second = _enqueue(idempotency_key="training-42-reminder-7")

    assert first.pk == second.pk
    assert OutboxMessage.objects.count() == 1
    assert len(mailoutbox) == 1


def test_deliver_sends_a_pending_message_once(mailoutbox):
    message = OutboxMessageFactory()

    assert deliver_message(message_id=message.pk) is True
    assert deliver_message(message_id=message.pk) is False

    message.refresh_from_db()
    assert message.attempts == 1
    assert len(mailoutbox) == 1


def test_deliver_renders_in_the_recipients_language(mailoutbox):
    message = OutboxMessageFactory(language="ar", context={"user_display": "أمينة"})

    deliver_message(message_id=message.pk)

    sent = mailoutbox[0]
    html = sent.alternatives[0][0]
    assert 'dir="rtl"' in html
    assert 'lang="ar"' in html
    assert "أمينة" in sent.body
    assert message.to_email in sent.to


def test_deliver_skips_messages_claimed_by_another_worker(mailoutbox):
    message = OutboxMessageFactory(state=OutboxMessage.State.SENDING)

    assert deliver_message(message_id=message.pk) is False
    assert mailoutbox == []


def test_smtp_failure_keeps_the_message_pending_with_the_error_and_a_later_attempt():
    message = OutboxMessageFactory()

    with (
        mock.patch(SEND, side_effect=SMTPException("mail server said no")),
        pytest.raises(TemporaryDeliveryError),
    ):
        deliver_message(message_id=message.pk)

    message.refresh_from_db()
    assert message.state == OutboxMessage.State.PENDING
    assert message.attempts == 1
    assert "mail server said no" in message.last_error
    assert message.next_attempt_at > timezone.now() + timedelta(seconds=20)


def test_mark_failed_never_touches_a_sent_message():
    sent = OutboxMessageFactory(state=OutboxMessage.State.SENT, sent_at=timezone.now())
    pending = OutboxMessageFactory()

    mark_failed(message_id=sent.pk, error="late")
    mark_failed(message_id=pending.pk, error="SMTPException: gave up")

    sent.refresh_from_db()
    pending.refresh_from_db()
    assert sent.state == OutboxMessage.State.SENT
    assert pending.state == OutboxMessage.State.FAILED
    assert pending.last_error == "SMTPException: gave up"


def test_beat_requeues_pending_messages_whose_task_was_lost(mailoutbox):
    lost = OutboxMessageFactory(next_attempt_at=timezone.now() - timedelta(minutes=10))
    fresh = OutboxMessageFactory()
    OutboxMessageFactory(state=OutboxMessage.State.FAILED)

    assert dispatch_due_messages() == 1

    lost.refresh_from_db()
    fresh.refresh_from_db()
    assert lost.state == OutboxMessage.State.SENT
    assert fresh.state == OutboxMessage.State.PENDING


def test_beat_frees_and_sends_a_lease_less_row_stuck_sending_past_the_timeout(
    django_capture_on_commit_callbacks, mailoutbox
):
    stuck = OutboxMessageFactory(state=OutboxMessage.State.SENDING, attempts=1)
    OutboxMessage.objects.filter(pk=stuck.pk).update(updated_at=timezone.now() - timedelta(hours=1))
    busy = OutboxMessageFactory(state=OutboxMessage.State.SENDING, attempts=1)

    with django_capture_on_commit_callbacks(execute=True):
        dispatch_due_messages()
        dispatch_due_messages()

    stuck.refresh_from_db()
    busy.refresh_from_db()
    assert busy.state == OutboxMessage.State.SENDING
    assert stuck.state == OutboxMessage.State.SENT
    assert len(mailoutbox) == 1


def test_a_claim_holds_a_lease_of_its_own_run(settings):
    settings.OUTBOX_LEASE = timedelta(seconds=15)
    first, second = OutboxMessageFactory(), OutboxMessageFactory()
    lease = Lease()

    claimed = outbox._claim([first.pk, second.pk], lease=lease)

    rows = OutboxMessage.objects.filter(pk__in=[first.pk, second.pk])
    assert [m.pk for m in claimed] == [first.pk, second.pk]
    assert {row.claimed_by for row in rows} == {lease.token}
    assert all(
        timedelta(seconds=10) < row.lease_until - timezone.now() <= timedelta(seconds=15)
        for row in rows
    )
    assert lease.covers_a_send()
    assert Lease().token != lease.token


def test_the_sweep_sends_again_rows_whose_lease_lapsed_and_leaves_live_ones(
    django_capture_on_commit_callbacks, mailoutbox
):
    now = timezone.now()
    dead = OutboxMessageFactory(
        state=OutboxMessage.State.SENDING,
        attempts=1,
        claimed_by="worker-a:1:dead",
        lease_until=now - timedelta(seconds=1),
    )
    alive = OutboxMessageFactory(
        state=OutboxMessage.State.SENDING,
        attempts=1,
        claimed_by="worker-b:2:alive",
        lease_until=now + timedelta(seconds=10),
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.reclaim_lapsed_messages() == 1

    dead.refresh_from_db()
    alive.refresh_from_db()
    assert dead.state == OutboxMessage.State.SENT
    assert dead.claimed_by not in {"", "worker-a:1:dead"}
    assert alive.state == OutboxMessage.State.SENDING
    assert [m.to for m in mailoutbox] == [[dead.to_email]]


def test_broker_outage_at_commit_leaves_the_message_pending_for_the_beat_job(
    django_capture_on_commit_callbacks, mailoutbox
):
    with celery_broker("redis://127.0.0.1:1/0"), django_capture_on_commit_callbacks(execute=True):
        message = _enqueue()

    message.refresh_from_db()
    assert message.state == OutboxMessage.State.PENDING
    assert mailoutbox == []


def test_a_worker_whose_claim_was_taken_over_does_not_send(mailoutbox):
    message = OutboxMessageFactory()
    stalled, other = Lease(), Lease()
    claimed = outbox._claim([message.pk], lease=stalled)

    # Its lease lapsed, the sweep took the row back and another worker claimed it again.
    OutboxMessage.objects.filter(pk=message.pk).update(state=OutboxMessage.State.PENDING)
    outbox._claim([message.pk], lease=other)

    assert outbox._still_ours(claimed[0], lease=stalled) is False
    assert outbox._still_ours(claimed[0], lease=other) is True


def test_message_id_is_the_same_for_a_new_and_a_reloaded_row():
    message = OutboxMessageFactory()

    assert outbox.message_id_header(message) == outbox.message_id_header(
        OutboxMessage.objects.get(pk=message.pk)
    )


def test_any_delivery_sends_again_the_rows_of_a_dead_worker_whose_lease_lapsed(
    django_capture_on_commit_callbacks, mailoutbox
):
    dead = OutboxMessageFactory(
        state=OutboxMessage.State.SENDING,
        attempts=1,
        claimed_by="worker-a:1:dead",
        lease_until=timezone.now() - timedelta(seconds=1),
    )
    fresh = OutboxMessageFactory()

    with django_capture_on_commit_callbacks(execute=True):
        assert deliver_message(message_id=fresh.pk) is True

    dead.refresh_from_db()
    assert dead.state == OutboxMessage.State.SENT
    assert sorted(m.to[0] for m in mailoutbox) == sorted([dead.to_email, fresh.to_email])
