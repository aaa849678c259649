"""A newsletter never delays a password reset: mail and bulk mail travel in queues of their own.

Routing is checked against the real broker transports, not a mock: kombu's filesystem transport
names each message file after its queue, and Redis keeps one list per queue.
"""

import json
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import transaction
from django.test import Client

from ankommen.celery import app
from ankommen.messaging.models import OutboxMessage
from ankommen.messaging.services import enqueue_mail
from ankommen.messaging.services.newsletters import fan_out_newsletter
from ankommen.messaging.services.outbox import dispatch_messages
from ankommen.operations.worker_command import celery_worker_command
from tests.brokers import celery_broker, isolated_redis_url, wait_for, worker_process
from tests.factories import (
    NewsletterFactory,
    OutboxMessageFactory,
    SubscriptionFactory,
    UserFactory,
)


@pytest.mark.parametrize(
    ("task", "queue"),
    [
        ("ankommen.messaging.tasks.deliver_messages_task", "mail"),
        ("ankommen.messaging.tasks.fan_out_newsletter_task", "bulk"),
        ("ankommen.messaging.tasks.dispatch_due_messages_task", "maintenance"),
        ("ankommen.messaging.tasks.send_scheduled_newsletters_task", "maintenance"),
        ("ankommen.operations.tasks.record_heartbeat_task", "maintenance"),
        ("matching.tasks.check_ins_task", "celery"),
        ("cockpit.tasks.fail_stuck_imports_task", "celery"),
    ],
)
def test_each_task_is_routed_to_its_queue(task, queue):
    route = app.amqp.router.route({}, task)

    assert route["queue"].name == queue


def test_the_single_machine_worker_consumes_every_queue():
    command = celery_worker_command(beat_schedule=None)

    queues = next(arg for arg in command if arg.startswith("--queues=")).split("=")[1]
    assert set(queues.split(",")) == {"mail", "bulk", "celery", "maintenance"}
    assert set(queues.split(",")) == set(settings.WORKER_QUEUES)


def _queued_ids(folder: Path) -> dict[str, list[int]]:
    """Which outbox ids wait in which queue, read from the filesystem broker's message files."""
    queued: dict[str, list[int]] = {}
    for path in sorted(folder.glob("*.msg")):
        queue = path.name.split(".")[1]
        headers = json.loads(path.read_text())["headers"]
        ids = json.loads(headers["kwargsrepr"].replace("'", '"'))["message_ids"]
        queued.setdefault(queue, []).extend(ids)
    return {queue: sorted(ids) for queue, ids in queued.items()}


@pytest.fixture
def filesystem_broker(tmp_path):
    folder = tmp_path / "queue"
    folder.mkdir()
    (tmp_path / "processed").mkdir()
    options = {
        "data_folder_in": str(folder),
        "data_folder_out": str(folder),
        "processed_folder": str(tmp_path / "processed"),
        "control_folder": str(tmp_path / "control"),
    }
    with celery_broker("filesystem://localhost//", options):
        yield folder


@pytest.mark.django_db(transaction=True)
def test_newsletter_rows_wait_in_bulk_and_every_other_mail_in_mail(filesystem_broker):
    SubscriptionFactory.create_batch(3)
    newsletter = NewsletterFactory(state="sending")

    fan_out_newsletter(newsletter_id=newsletter.pk)
    with transaction.atomic():
        reset = enqueue_mail(
            to_email="amina@example.org",
            template="account/email/password_reset_key",
            context={},
            language="ar",
        )

    queued = _queued_ids(filesystem_broker)
    newsletter_ids = sorted(newsletter.messages.values_list("pk", flat=True))
    assert queued == {"bulk": newsletter_ids, "mail": [reset.pk]}


@pytest.mark.django_db(transaction=True)
def test_beat_hands_a_mixed_backlog_to_the_queue_of_each_row(filesystem_broker):
    newsletter = NewsletterFactory(state="sending")
    bulk_row = OutboxMessageFactory(
        category=OutboxMessage.Category.NEWSLETTER, newsletter=newsletter
    )
    reminder = OutboxMessageFactory(category=OutboxMessage.Category.REMINDER)
    notice = OutboxMessageFactory(category=OutboxMessage.Category.TRANSACTIONAL)

    dispatch_messages(message_ids=[bulk_row.pk, reminder.pk, notice.pk])

    assert _queued_ids(filesystem_broker) == {
        "mail": [reminder.pk, notice.pk],
        "bulk": [bulk_row.pk],
    }


@pytest.mark.django_db(transaction=True)
@pytest.mark.worker
@pytest.mark.redis
def test_a_mail_worker_sends_a_password_reset_while_a_newsletter_backlog_waits(tmp_path):
    """A dedicated `--queues=mail` worker never touches the backlog, nor waits for its rows."""
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    broker = isolated_redis_url()
    redis.Redis.from_url(broker).flushdb()
    account = UserFactory(email="dawit@example.org")
    SubscriptionFactory.create_batch(250)
    newsletter = NewsletterFactory(state="sending")
    env = {"CELERY_BROKER_URL": broker, "EMAIL_URL": f"filemail:///{mail_dir}"}

    with (
        celery_broker(broker),
        worker_process(env, tmp_path / "worker.log", queues=[settings.MAIL_QUEUE]),
    ):
        fan_out_newsletter(newsletter_id=newsletter.pk)
        response = Client().post("/de/accounts/password/reset/", {"email": account.email})
        assert response.status_code == 302
        reset = OutboxMessage.objects.get(to_email=account.email)
        wait_for(
            lambda: OutboxMessage.objects.get(pk=reset.pk).state == OutboxMessage.State.SENT,
            message=(tmp_path / "worker.log").read_text(),
        )

    assert reset.category == OutboxMessage.Category.TRANSACTIONAL
    assert not newsletter.messages.exclude(state=OutboxMessage.State.PENDING).exists()
    backlog = redis.Redis.from_url(broker)
    assert backlog.llen("bulk") == 3  # 250 rows in batches of 100
    backlog.flushdb()  # the next test's worker would take these
    sent = [path.read_text() for path in mail_dir.glob("*.log")]
    assert len(sent) == 1
    assert "/password/reset/key/" in sent[0]
