"""Faults the outbox must survive: real Redis, real worker processes, a real SMTP server.

The SMTP server counts what it accepted by Message-ID, which stays the same on every attempt
(`message_id_header`), so a repeat is visible. The only repeat the design allows is a worker
killed in the acceptance window: after the server took a message, before the row was marked
sent. Anything else must go out exactly once, and nothing may be lost.
"""

import asyncio
import os
import shutil
import subprocess
import threading
import time
from collections import Counter
from email import message_from_bytes
from pathlib import Path

import pytest
import redis
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP
from django.conf import settings
from django.test import Client

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
from tools.serving import free_port

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker, pytest.mark.redis]


class _TrackedSMTP(SMTP):
    """Tells the handler which connections are open, so a test can wait for them to end."""

    def connection_made(self, transport) -> None:
        super().connection_made(transport)
        self.event_handler.opened(self)

    def connection_lost(self, error) -> None:
        super().connection_lost(error)
        self.event_handler.closed(self)


class _TrackingController(Controller):
    def factory(self) -> SMTP:
        return _TrackedSMTP(self.handler, **self.SMTP_kwargs)


class CountingSmtpServer:
    """An SMTP server in this process that records every message it accepts, by Message-ID."""

    def __init__(self, *, delay: float) -> None:
        self.port = free_port()
        self._delay = delay
        self._lock = threading.Lock()
        self._counts: Counter[str] = Counter()
        self._open: set[SMTP] = set()
        self._accepted_on: dict[SMTP, list[str]] = {}
        self._controller = _TrackingController(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd hook)
        message_id = message_from_bytes(envelope.content)["Message-ID"].strip()
        with self._lock:
            self._counts[message_id] += 1
            self._accepted_on.setdefault(server, []).append(message_id)
        # From here on the message counts as delivered, even if the client dies before it
        # reads the answer. The pause keeps that window wide enough for a kill to hit.
        await asyncio.sleep(self._delay)
        return "250 Message accepted for delivery"

    def opened(self, connection: SMTP) -> None:
        with self._lock:
            self._open.add(connection)

    def closed(self, connection: SMTP) -> None:
        with self._lock:
            self._open.discard(connection)

    def counts(self) -> Counter[str]:
        with self._lock:
            return Counter(self._counts)

    def accepted_from_clients_so_far(self) -> set[str]:
        """What was accepted, including the last words of a client that has just died.

        A dead client's final bytes may still be in the server's buffers. Once every
        connection open now has ended, nothing more can arrive from it: aiosmtpd cancels a
        session at EOF. Connections opened meanwhile belong to living clients.
        """
        with self._lock:
            open_now = set(self._open)
            accepted = set(self._counts)
        wait_for(lambda: not open_now & self._open_connections(), message="SMTP sessions hang")
        with self._lock:
            return accepted.union(*(self._accepted_on.get(c, ()) for c in open_now))

    def _open_connections(self) -> set[SMTP]:
        with self._lock:
            return set(self._open)

    def start(self) -> None:
        self._controller.start()

    def stop(self) -> None:
        self._controller.stop()


class PrivateRedis:
    """A `redis-server` of the test's own, so it can be stopped; the system Redis stays up."""

    def __init__(self, directory: Path) -> None:
        self.port = free_port()
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


def _kill_in_flight(
    worker: Worker, newsletter: Newsletter, smtp: CountingSmtpServer
) -> set[tuple[str, int]]:
    """SIGKILL the worker; return its acceptance window as (Message-ID, attempt) pairs.

    Those are rows still "sending" whose message the server has nevertheless accepted: each
    such attempt may be followed by one more. The surviving worker's current message can be
    among them, and a row stuck since an earlier kill shows again; both only widen the count.
    """
    worker.kill()
    sending = OutboxMessage.objects.filter(newsletter=newsletter, state=OutboxMessage.State.SENDING)
    in_flight = {message_id_header(row): row.attempts for row in sending}
    accepted = smtp.accepted_from_clients_so_far()
    return {
        (message_id, attempt) for message_id, attempt in in_flight.items() if message_id in accepted
    }


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
    windows: set[tuple[str, int]] = set()
    for number, delivered in enumerate((150, 400, 650), start=1):
        wait_for(lambda n=delivered: len(smtp_server.counts()) >= n, timeout=60)
        windows |= _kill_in_flight(victim, newsletter, smtp_server)
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
    extra_sends = received - Counter(received.keys())
    allowed = Counter(message_id for message_id, _attempt in windows)
    record_property("window_hits", len(windows))
    record_property("duplicates", len(extra_sends))
    assert len(received) == 1000
    assert set(received) == _message_ids(newsletter)
    assert extra_sends <= allowed, "a message went out twice outside an acceptance window"
    if not windows:
        assert not extra_sends


@pytest.mark.postgres
def test_a_killed_workers_rows_go_out_again_within_seconds_not_minutes(
    tmp_path, isolated_broker, workers, record_property
):
    """Production's lease and sweep, no shortened timeouts: the rows the killed worker held
    come back once its lease lapses (15 s) and the next sweep runs (5 s), where the old
    sending timeout took 12 minutes and more. The bound leaves room for a loaded machine."""
    smtp = CountingSmtpServer(delay=0.02)
    smtp.start()
    _subscribers(200)
    newsletter = NewsletterFactory()
    env = {"CELERY_BROKER_URL": isolated_broker, "EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}"}
    _start(workers, env, tmp_path / "steady.log", beat=True)
    victim = _start(workers, env, tmp_path / "victim.log")
    for worker in workers:
        worker.wait_until_ready()
    rows = OutboxMessage.objects.filter(newsletter=newsletter)

    send_newsletter_now(newsletter=newsletter)
    held_by_victim = rows.filter(
        state=OutboxMessage.State.SENDING, claimed_by__contains=f":{victim.process.pid}:"
    )
    wait_for(held_by_victim.exists, timeout=60, message=_logs(workers))
    windows = _kill_in_flight(victim, newsletter, smtp)
    killed_at = time.monotonic()
    held = held_by_victim.count()
    _start(workers, env, tmp_path / "restarted.log")
    wait_for(
        lambda: _all_sent(newsletter, 200),
        timeout=120,
        message=f"{_unsent(newsletter)} e-mails not sent\n{_logs(workers)}",
    )
    recovered_after = time.monotonic() - killed_at
    for worker in workers:
        worker.stop()
    smtp.stop()

    received = smtp.counts()
    extra_sends = received - Counter(received.keys())
    allowed = Counter(message_id for message_id, _attempt in windows)
    record_property("held_at_kill", held)
    record_property("recovered_after", round(recovered_after, 1))
    assert held > 0
    assert set(received) == _message_ids(newsletter)  # nobody missed
    assert extra_sends <= allowed, "a message went out twice outside an acceptance window"
    assert recovered_after < 45, f"{held} rows came back only after {recovered_after:.0f} s"


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

    assert all(_deliveries_finished([worker]) for worker in workers), "one worker took all"
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
        response = client.post(f"/de/messages/newsletters/{newsletter.pk}/send/")
        took = time.monotonic() - started
        newsletter.refresh_from_db()
        state_while_redis_was_down = newsletter.state
        rows_while_redis_was_down = OutboxMessage.objects.filter(newsletter=newsletter).count()
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
    assert rows_while_redis_was_down == 0  # the fan-out was never queued: beat restarted it
    received = smtp_server.counts()
    assert set(received) == _message_ids(newsletter)
    assert len(received) == 20
    assert set(received.values()) == {1}
