"""Faults the outbox must survive: real Redis, real worker processes, a real SMTP server.

The SMTP server counts what it accepted by Message-ID, which stays the same on every attempt
(`message_id_header`), so a repeat is visible. The only repeat the design allows is a worker
killed in the acceptance window: after the server took a message, before the row was marked
sent. Anything else must go out exactly once, and nothing may be lost.
"""

import asyncio
import os
import shutil
import socket
import subprocess
import threading
import time
from collections import Counter
from dataclasses import dataclass
from email import message_from_bytes
from pathlib import Path

import pytest
import redis
from aiosmtpd.controller import Controller
from django.conf import settings
from django.test import Client
from django.urls import reverse

from ankommen.messaging.models import Newsletter, OutboxMessage, Subscription
from ankommen.messaging.services.newsletters import send_newsletter_now
from ankommen.messaging.services.outbox import message_id_header
from ankommen.messaging.tasks import deliver_messages_task
from tests.brokers import Worker, celery_broker, isolated_redis_url, spawn_worker, wait_for
from tests.factories import (
    NewsletterFactory,
    OutboxMessageFactory,
    SubscriptionFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker, pytest.mark.redis]

# A message a worker handed over just before it died may reach the server's handler a moment
# after the kill; far shorter than the sending timeout after which the row could go out again.
ON_THE_WIRE = 1.0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class CountingSmtpServer:
    """An SMTP server in this process that records every message it accepts, by Message-ID."""

    def __init__(self, *, delay: float) -> None:
        self.port = _free_port()
        self._delay = delay
        self._lock = threading.Lock()
        self._counts: Counter[str] = Counter()
        self._first_accepted: dict[str, float] = {}
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd hook)
        message_id = message_from_bytes(envelope.content)["Message-ID"].strip()
        with self._lock:
            self._counts[message_id] += 1
            self._first_accepted.setdefault(message_id, time.monotonic())
        # The message counts as delivered from here on: a client that dies before it reads
        # the answer has still sent it. The pause keeps that window wide enough to hit.
        await asyncio.sleep(self._delay)
        return "250 Message accepted for delivery"

    def counts(self) -> Counter[str]:
        with self._lock:
            return Counter(self._counts)

    def first_accepted(self, message_id: str) -> float | None:
        with self._lock:
            return self._first_accepted.get(message_id)

    def start(self) -> None:
        self._controller.start()

    def stop(self) -> None:
        self._controller.stop()


class PrivateRedis:
    """A `redis-server` of the test's own, so it can be stopped; the system Redis stays up."""

    def __init__(self, directory: Path) -> None:
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self._directory = directory
        self._process: subprocess.Popen | None = None

    def start(self) -> None:
        command = [
            "redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
            "--save", "", "--appendonly", "no", "--dir", str(self._directory),
        ]  # fmt: skip
        with (self._directory / "redis.log").open("a") as log:
            self._process = subprocess.Popen(command, stdout=log, stderr=log)
        wait_for(self._answers, timeout=10, message="the private Redis did not start")

    def stop(self) -> None:
        if self._process is None or self._process.poll() is not None:
            return
        self._process.terminate()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()

    def _answers(self) -> bool:
        assert self._process.poll() is None, (self._directory / "redis.log").read_text()
        try:
            return redis.Redis(port=self.port, socket_connect_timeout=1).ping()
        except redis.ConnectionError:
            return False


@dataclass(frozen=True)
class Kill:
    at: float  # time.monotonic() once the worker was dead
    sending: frozenset[str]  # Message-IDs of the rows then still in "sending"


@pytest.fixture
def smtp_server():
    server = CountingSmtpServer(delay=0.005)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def isolated_broker():
    """Redis database 15, emptied before and after: a killed worker leaves unacked tasks."""
    url = isolated_redis_url()
    client = redis.Redis.from_url(url)
    client.flushdb()
    with celery_broker(url, settings.CELERY_BROKER_TRANSPORT_OPTIONS):
        yield url
    client.flushdb()
    client.close()


@pytest.fixture
def private_redis(tmp_path):
    if shutil.which("redis-server") is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server is not installed", pytrace=False)
        pytest.skip("redis-server is not installed")
    server = PrivateRedis(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def workers():
    """Every worker a test starts is stopped at its end, whatever happened."""
    started: list[Worker] = []
    yield started
    for worker in started:
        worker.stop()


def _worker_env(broker: str, smtp_port: int) -> dict[str, str]:
    return {
        "CELERY_BROKER_URL": broker,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "ANKOMMEN_OUTBOX_SENDING_TIMEOUT": "3",
        "ANKOMMEN_OUTBOX_REDISPATCH_SECONDS": "2",
        "ANKOMMEN_OUTBOX_BEAT_SECONDS": "1",
        "ANKOMMEN_FAN_OUT_GRACE_SECONDS": "2",
    }


def _start(started: list[Worker], env: dict, log: Path, *, beat: bool = False) -> Worker:
    worker = spawn_worker(env, log, beat=beat, name=log.stem)
    started.append(worker)
    return worker


def _subscribers(count: int) -> None:
    Subscription.objects.bulk_create(SubscriptionFactory.build_batch(count))


def _unsent(newsletter: Newsletter) -> int:
    return (
        OutboxMessage.objects.filter(newsletter=newsletter)
        .exclude(state=OutboxMessage.State.SENT)
        .count()
    )


def _all_sent(newsletter: Newsletter, total: int) -> bool:
    rows = OutboxMessage.objects.filter(newsletter=newsletter)
    return rows.count() == total and not rows.exclude(state=OutboxMessage.State.SENT).exists()


def _message_ids(newsletter: Newsletter) -> set[str]:
    return {message_id_header(row) for row in OutboxMessage.objects.filter(newsletter=newsletter)}


def _logs(started: list[Worker]) -> str:
    return "\n".join(f"--- {w.log.name}\n{w.log.read_text()[-3000:]}" for w in started)


def _deliveries_finished(started: list[Worker]) -> int:
    return sum(
        "deliver_messages_task" in line and "succeeded" in line
        for worker in started
        for line in worker.log.read_text().splitlines()
    )


def _kill(worker: Worker, newsletter: Newsletter) -> Kill:
    worker.kill()
    at = time.monotonic()
    sending = OutboxMessage.objects.filter(newsletter=newsletter, state=OutboxMessage.State.SENDING)
    return Kill(at, frozenset(message_id_header(row) for row in sending))


def test_killed_workers_miss_no_recipient_and_duplicate_only_in_the_acceptance_window(
    tmp_path, smtp_server, isolated_broker, workers, record_property
):
    _subscribers(1000)
    newsletter = NewsletterFactory()
    env = _worker_env(isolated_broker, smtp_server.port)
    _start(workers, env, tmp_path / "steady.log", beat=True)
    victim = _start(workers, env, tmp_path / "victim-0.log")
    for worker in workers:
        worker.wait_until_ready()

    send_newsletter_now(newsletter=newsletter)
    kills = []
    for number, delivered in enumerate((150, 400, 650), start=1):
        wait_for(lambda n=delivered: len(smtp_server.counts()) >= n, timeout=60)
        kills.append(_kill(victim, newsletter))
        victim = _start(workers, env, tmp_path / f"victim-{number}.log")
        victim.wait_until_ready()
    wait_for(
        lambda: _all_sent(newsletter, 1000),
        timeout=60,
        message=f"{_unsent(newsletter)} e-mails not sent\n{_logs(workers)}",
    )
    for worker in workers:
        worker.stop()  # a send still under way would be counted too

    received = smtp_server.counts()
    windows = Counter(
        message_id
        for kill in kills
        for message_id in kill.sending
        if (smtp_server.first_accepted(message_id) or float("inf")) <= kill.at + ON_THE_WIRE
    )
    duplicates = {message_id for message_id, times in received.items() if times > 1}
    record_property("window_hits", len(windows))
    record_property("duplicates", len(duplicates))
    assert len(received) == 1000
    assert set(received) == _message_ids(newsletter)
    assert duplicates <= set(windows)
    assert all(received[message_id] <= 1 + windows[message_id] for message_id in duplicates)
    if not windows:
        assert not duplicates


def test_two_workers_handed_the_same_message_send_it_once(
    tmp_path, smtp_server, isolated_broker, workers
):
    message = OutboxMessageFactory()
    env = _worker_env(isolated_broker, smtp_server.port)
    for name in ("first", "second"):
        _start(workers, env, tmp_path / f"{name}.log")
    for worker in workers:
        worker.wait_until_ready()

    for _ in range(6):
        deliver_messages_task.delay(message_ids=[message.pk])
    wait_for(lambda: _deliveries_finished(workers) == 6, message=_logs(workers))
    for worker in workers:
        worker.stop()

    message.refresh_from_db()
    assert message.state == OutboxMessage.State.SENT
    assert message.attempts == 1
    assert smtp_server.counts() == Counter({message_id_header(message): 1})


def test_stopped_redis_lets_the_coordinator_send_quickly_and_delivery_completes_when_it_is_back(
    tmp_path, smtp_server, private_redis, workers
):
    _subscribers(20)
    newsletter = NewsletterFactory()
    client = Client()
    client.force_login(UserFactory(role="coordinator"))
    with celery_broker(private_redis.url, settings.CELERY_BROKER_TRANSPORT_OPTIONS):
        worker = _start(
            workers,
            _worker_env(private_redis.url, smtp_server.port),
            tmp_path / "worker.log",
            beat=True,
        )
        worker.wait_until_ready()
        private_redis.stop()

        started = time.monotonic()
        response = client.post(reverse("messaging:newsletter_send", args=[newsletter.pk]))
        took = time.monotonic() - started
        newsletter.refresh_from_db()
        state_while_redis_was_down = newsletter.state
        private_redis.start()
        wait_for(
            lambda: _all_sent(newsletter, 20),
            timeout=60,
            message=f"{_unsent(newsletter)} e-mails not sent\n{_logs(workers)}",
        )
        worker.stop()

    assert response.status_code == 302
    assert took < 3, f"sending took {took:.1f}s with Redis down"
    assert state_while_redis_was_down == Newsletter.State.SENDING
    received = smtp_server.counts()
    assert set(received) == _message_ids(newsletter)
    assert len(received) == 20
    assert set(received.values()) == {1}
