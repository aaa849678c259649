"""A worker keeps its claim while it lives, however slow the mail server; a dead one loses it."""

import time
from datetime import timedelta
from unittest import mock

import pytest

from ankommen.messaging.models import OutboxMessage
from ankommen.messaging.services import outbox
from tests.factories import OutboxMessageFactory

# The lease is renewed from a thread of its own, which sees committed rows only.
pytestmark = pytest.mark.django_db(transaction=True)

SEND = "django.core.mail.EmailMultiAlternatives.send"


def test_a_slow_mail_server_never_lets_the_sweep_take_the_row(settings, mailoutbox):
    settings.OUTBOX_LEASE = timedelta(seconds=1)
    message = OutboxMessageFactory()
    seen_during_send = {}

    def slow_send(*args, **kwargs):
        time.sleep(2.5)  # more than twice the lease: only renewal keeps the row
        seen_during_send["reclaimed"] = outbox.reclaim_lapsed_messages()
        seen_during_send["state"] = OutboxMessage.objects.get(pk=message.pk).state
        return 1

    with mock.patch(SEND, side_effect=slow_send) as send:
        assert outbox.deliver_message(message_id=message.pk) is True

    message.refresh_from_db()
    assert seen_during_send == {"reclaimed": 0, "state": OutboxMessage.State.SENDING}
    assert send.call_count == 1
    assert message.state == OutboxMessage.State.SENT
    assert message.attempts == 1


def test_rows_of_a_run_that_stopped_renewing_are_sent_again_once_its_lease_lapses(
    settings, mailoutbox
):
    settings.OUTBOX_LEASE = timedelta(seconds=1)
    message = OutboxMessageFactory()
    # A worker claimed the row and was killed: nothing renews its lease any more.
    outbox._claim([message.pk], lease=outbox.Lease())

    assert outbox.reclaim_lapsed_messages() == 0
    time.sleep(1.2)
    assert outbox.reclaim_lapsed_messages() == 1

    message.refresh_from_db()
    assert message.state == OutboxMessage.State.SENT
    assert message.attempts == 2
    assert len(mailoutbox) == 1
