from smtplib import SMTPException
from unittest import mock

import pytest
from django.core.mail import EmailMultiAlternatives

from ankommen.messaging.models import OutboxMessage
from ankommen.messaging.services.outbox import MAX_ATTEMPTS
from ankommen.messaging.tasks import deliver_messages_task
from tests.factories import OutboxMessageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _retries_run_inline():
    """Eagerly, Celery runs the whole retry chain at once instead of raising at the first."""
    conf = deliver_messages_task.app.conf
    previous = conf.task_eager_propagates
    conf.update(task_eager_propagates=False)
    yield
    conf.update(task_eager_propagates=previous)


def test_delivery_that_keeps_failing_ends_as_failed_with_the_error_visible():
    message = OutboxMessageFactory()

    with mock.patch.object(
        EmailMultiAlternatives, "send", side_effect=SMTPException("relay refused")
    ):
        result = deliver_messages_task.apply(kwargs={"message_ids": [message.pk]})

    assert result.state == "SUCCESS"  # the task is done; the row records the failure
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.FAILED
    assert message.attempts == MAX_ATTEMPTS
    assert message.last_error == "SMTPException: relay refused"


def test_delivery_that_fails_once_is_retried_and_sent_once(mailoutbox):
    message = OutboxMessageFactory()
    real_send = EmailMultiAlternatives.send
    calls = []

    def flaky_send(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise SMTPException("temporary failure")
        return real_send(self, *args, **kwargs)

    with mock.patch.object(EmailMultiAlternatives, "send", flaky_send):
        deliver_messages_task.apply(kwargs={"message_ids": [message.pk]})

    message.refresh_from_db()
    assert message.state == OutboxMessage.State.SENT
    assert message.attempts == 2
    assert len(mailoutbox) == 1
