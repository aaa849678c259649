"""Real worker processes: Redis in production, the filesystem broker in the embedded default."""

from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import transaction

from ankommen.messaging.models import OutboxMessage
from ankommen.messaging.services import enqueue_mail
from ankommen.messaging.tasks import deliver_messages_task
from ankommen.operations.health import HEARTBEAT_CACHE_KEY, last_heartbeat_at
from tests.brokers import celery_broker, isolated_redis_url, wait_for, worker_process

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


def _enqueue(to_email: str) -> OutboxMessage:
    with transaction.atomic():
        return enqueue_mail(
            to_email=to_email,
            template="account/email/password_changed",
            context={"user_display": "Amina"},
            language="ar",
        )


def _deliveries_finished(log) -> int:
    return sum(
        "deliver_messages_task" in line and "succeeded" in line
        for line in log.read_text().splitlines()
    )


def _sent_mails(mail_dir) -> list[str]:
    return [path.read_text() for path in mail_dir.glob("*.log")]


@pytest.mark.redis
def test_redis_worker_runs_a_task_queued_on_commit_exactly_once(tmp_path):
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    broker = isolated_redis_url()
    env = {"CELERY_BROKER_URL": broker, "EMAIL_URL": f"filemail:///{mail_dir}"}

    with celery_broker(broker), worker_process(env, tmp_path / "worker.log"):
        with pytest.raises(RuntimeError), transaction.atomic():
            enqueue_mail(
                to_email="rolled-back@example.org",
                template="account/email/password_changed",
                context={},
                language="de",
            )
            raise RuntimeError("the change fails, so its e-mail must not exist")
        message = _enqueue("amina@example.org")
        wait_for(
            lambda: OutboxMessage.objects.get(pk=message.pk).state == OutboxMessage.State.SENT,
            message=(tmp_path / "worker.log").read_text(),
        )
        # The same task delivered again (a redelivery after a lost ack) must not send again.
        deliver_messages_task.delay(message_ids=[message.pk])
        deliver_messages_task.delay(message_ids=[message.pk])
        wait_for(lambda: _deliveries_finished(tmp_path / "worker.log") == 3)

    message.refresh_from_db()
    assert message.attempts == 1
    assert not OutboxMessage.objects.filter(to_email="rolled-back@example.org").exists()
    mails = _sent_mails(mail_dir)
    assert len(mails) == 1
    assert "amina@example.org" in mails[0]


def test_embedded_worker_runs_queued_and_scheduled_tasks_without_redis(tmp_path, monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    queue = tmp_path / "broker" / "queue"
    processed = tmp_path / "broker" / "processed"
    queue.mkdir(parents=True)
    processed.mkdir(parents=True)
    options = {
        "data_folder_in": str(queue),
        "data_folder_out": str(queue),
        "processed_folder": str(processed),
        "control_folder": str(tmp_path / "broker" / "control"),
        "store_processed": False,
    }
    checkout_had_control = Path("control").exists()
    env = {
        "CELERY_BROKER_URL": "filesystem://localhost//",
        "ANKOMMEN_VAR_DIR": str(tmp_path),
        "ANKOMMEN_HEARTBEAT_SECONDS": "1",
        "EMAIL_URL": f"filemail:///{mail_dir}",
        "REDIS_URL": "",
    }
    # The worker of an earlier test may write one last heartbeat after that test's tables were
    # emptied (seen once in CI); this test must see its own worker's heartbeat.
    cache.delete(HEARTBEAT_CACHE_KEY)
    assert last_heartbeat_at() is None

    with (
        celery_broker("filesystem://localhost//", options),
        worker_process(env, tmp_path / "worker.log", beat=True),
    ):
        message = _enqueue("dawit@example.org")
        wait_for(
            lambda: OutboxMessage.objects.get(pk=message.pk).state == OutboxMessage.State.SENT,
            message=(tmp_path / "worker.log").read_text(),
        )
        wait_for(lambda: last_heartbeat_at() is not None, message="beat sent no heartbeat")

    assert len(_sent_mails(mail_dir)) == 1
    assert "Redis" not in (tmp_path / "worker.log").read_text()
    # The broker's state stays under the var folder, never in the checkout (it was committed).
    assert list((tmp_path / "broker" / "control").glob("*.exchange"))
    assert Path("control").exists() == checkout_had_control
