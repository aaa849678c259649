"""Benchmark: SIGKILL both Celery workers several times while a newsletter goes out.

PostgreSQL, Redis (as the broker), beat and two real worker processes as production runs
them, and an SMTP server in this process that counts what it accepted by Message-ID (the
same on every attempt). Each kill takes both workers down at once, mid-send, and starts them
again at once. Reports how long the outbox took to drain after the last kill, how late the
mails in flight at a kill arrived, and what was missed or sent twice; merges
{"outbox_kill": {...}} into bench/results.json (or $BENCH_OUT). Exits 1 when a target is
missed: drain under 60 s after the last kill, nothing missed, duplicates at most 0.1 %.

    make bench-outbox-kill   # or: .venv/bin/python -m bench.outbox_kill --recipients 1500 --kills 5

The broker's Redis database (--broker, default redis://127.0.0.1:6379/14) is emptied before
and after: killed workers leave unacknowledged tasks behind.
"""

import argparse
import asyncio
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/ankommen_bench_kill"
DEFAULT_BROKER = "redis://127.0.0.1:6379/14"
DRAIN_TARGET_SECONDS = 60
DUPLICATE_TARGET_PERCENT = 0.1
MESSAGE_ID = re.compile(rb"^Message-ID:\s*(<[^>\r\n]+>)", re.IGNORECASE | re.MULTILINE)


class CountingSmtpHandler:
    """An SMTP server that counts every message it accepts by Message-ID.

    Like a real one it spends most of its time per message before the message (checking the
    recipient: `delay` at RCPT) and little between the end of the message and its 250
    (storing it: `accept_delay`). A message counts once the server is about to answer 250:
    from then on it is the server's, even if the client never reads the answer. A killed
    client's socket stays open while the kernel tears the process down (tens of
    milliseconds), so a message whose end was sent just before the kill can still be
    accepted; one cut off earlier is neither counted nor delivered (aiosmtpd cancels the
    session at the end of the connection).
    """

    def __init__(self, *, delay: float, accept_delay: float) -> None:
        self.delay = delay
        self.accept_delay = accept_delay
        self._lock = threading.Lock()
        self._counts: Counter[str] = Counter()

    async def handle_RCPT(  # noqa: N802 (aiosmtpd hook)
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        await asyncio.sleep(self.delay)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        await asyncio.sleep(self.accept_delay)
        # A regular expression, not a MIME parse: the count must not widen the window it measures.
        found = MESSAGE_ID.search(envelope.content)
        message_id = found.group(1).decode() if found else "<none>"
        with self._lock:
            self._counts[message_id] += 1
        return "250 Message accepted for delivery"

    def counts(self) -> Counter[str]:
        with self._lock:
            return Counter(self._counts)

    def accepted(self) -> int:
        with self._lock:
            return len(self._counts)


@dataclass
class Worker:
    process: subprocess.Popen[bytes]
    log: Path

    def is_ready(self) -> bool:
        return "ready." in self.log.read_text(errors="replace")

    def kill(self) -> None:
        """SIGKILL to the whole group, as a pulled plug would: no cleanup, no acks."""
        with suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.kill()


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=1500)
    parser.add_argument("--kills", type=int, default=5)
    parser.add_argument(
        "--smtp-delay", type=float, default=0.02, help="seconds the server spends per recipient"
    )
    parser.add_argument(
        "--accept-delay",
        type=float,
        default=0.002,
        help="seconds from the end of a message to the server's 250 (storing it)",
    )
    parser.add_argument("--broker", default=os.environ.get("OUTBOX_KILL_BROKER", DEFAULT_BROKER))
    parser.add_argument("--timeout", type=float, default=900, help="give up draining after")
    return parser.parse_args()


def setup_django(broker: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "ankommen.settings.base"
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE)
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    os.environ["CELERY_BROKER_URL"] = broker
    import django  # noqa: PLC0415 (the environment above must be set first)

    django.setup()


def prepare(recipients: int) -> Any:
    from django.core.management import call_command  # noqa: PLC0415

    from ankommen.messaging.models import Newsletter  # noqa: PLC0415
    from bench.subscribers import replace_subscribers  # noqa: PLC0415

    call_command("migrate", verbosity=0)
    call_command("createcachetable")  # beat's heartbeat goes to the database cache
    languages = ["de", "de", "ar", "fa", "uk", "tr", "en", "ru"]
    replace_subscribers(recipients, domain="kill.ankommen.example", languages=languages)
    return Newsletter.objects.create(subject="Rundbrief", body="Liebe Ehrenamtliche, **danke**!")


def start_worker(env: dict[str, str], log: Path, name: str) -> Worker:
    from ankommen.operations.worker_command import celery_worker_command  # noqa: PLC0415

    command = celery_worker_command(beat_schedule=None, hostname=f"{name}@%h")
    with log.open("w") as output:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=output, stderr=output, start_new_session=True
        )
    return Worker(process, log)


def start_beat(env: dict[str, str], folder: Path) -> Worker:
    log = folder / "beat.log"
    command = [
        sys.executable, "-m", "celery", "-A", "ankommen", "beat", "--loglevel=INFO",
        f"--schedule={folder / 'beat-schedule'}",
    ]  # fmt: skip
    with log.open("w") as output:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=output, stderr=output, start_new_session=True
        )
    return Worker(process, log)


def wait_for(condition: Any, *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        time.sleep(0.1)


def run(arguments: argparse.Namespace) -> dict[str, Any]:
    import redis  # noqa: PLC0415
    from django.conf import settings  # noqa: PLC0415
    from django.db import connection  # noqa: PLC0415
    from django.utils import timezone  # noqa: PLC0415

    from ankommen.messaging.models import Newsletter, OutboxMessage  # noqa: PLC0415
    from ankommen.messaging.services.newsletters import send_newsletter_now  # noqa: PLC0415
    from ankommen.messaging.services.outbox import message_id_header  # noqa: PLC0415

    recipients = arguments.recipients
    newsletter = prepare(recipients)
    broker = redis.Redis.from_url(arguments.broker)
    broker.flushdb()
    handler = CountingSmtpHandler(delay=arguments.smtp_delay, accept_delay=arguments.accept_delay)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        smtp_port = probe.getsockname()[1]
    smtp = Controller(handler, hostname="127.0.0.1", port=smtp_port)
    smtp.start()
    folder = Path(tempfile.mkdtemp(prefix="outbox-kill-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ankommen.settings.base",
        "CELERY_BROKER_URL": arguments.broker,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
    }
    beat = start_beat(env, folder)
    generation = 0

    def start_pair() -> list[Worker]:
        return [
            start_worker(env, folder / f"worker{n}-{generation}.log", f"kill{n}-{generation}")
            for n in (1, 2)
        ]

    workers = start_pair()
    all_workers = list(workers)
    rows = OutboxMessage.objects.filter(newsletter=newsletter)
    in_flight: dict[int, datetime] = {}  # row id -> when a kill first left it "sending"
    dead_claims: list[tuple[float, set[str]]] = []  # a kill's time, the runs it ended
    reclaimed_after: list[float] = []

    def note_reclaims() -> None:
        """A kill's rows are back once none is "sending" under a run that died with it."""
        for claims in list(dead_claims):
            killed, tokens = claims
            if not rows.filter(state=OutboxMessage.State.SENDING, claimed_by__in=tokens).exists():
                reclaimed_after.append(time.monotonic() - killed)
                dead_claims.remove(claims)

    def ready_after(threshold: int, pair: list[Worker]) -> bool:
        note_reclaims()
        return handler.accepted() >= threshold and all(w.is_ready() for w in pair)

    def drained() -> bool:
        note_reclaims()
        return rows.count() == recipients and not rows.exclude(state="sent").exists()

    try:
        wait_for(lambda: all(w.is_ready() for w in workers), timeout=60, what="workers")
        started = time.monotonic()
        send_newsletter_now(newsletter=newsletter)
        last_kill = started
        for number in range(1, arguments.kills + 1):
            threshold = recipients * number // (arguments.kills + 1)
            wait_for(
                lambda t=threshold, pair=workers: ready_after(t, pair),
                timeout=arguments.timeout,
                what=f"{threshold} deliveries",
            )
            for worker in workers:
                worker.kill()
            last_kill = time.monotonic()
            killed_at = timezone.now()
            sending = dict(
                rows.filter(state=OutboxMessage.State.SENDING).values_list("pk", "claimed_by")
            )
            for pk in sending:
                in_flight.setdefault(pk, killed_at)
            dead_claims.append((last_kill, set(sending.values())))
            generation += 1
            workers = start_pair()
            all_workers += workers
            print(f"  kill {number}: {handler.accepted()} accepted, {len(sending)} in flight")
        wait_for(drained, timeout=arguments.timeout, what="the outbox to drain")
        drained_at = time.monotonic()
    finally:
        for worker in [*all_workers, beat]:
            worker.stop()
        smtp.stop()
        broker.flushdb()
    late = [
        (sent_at - in_flight[pk]).total_seconds()
        for pk, sent_at in rows.filter(pk__in=in_flight).values_list("pk", "sent_at")
    ]
    received = handler.counts()
    expected = {message_id_header(row) for row in rows}
    duplicates = sum(received.values()) - len(received)
    missed = len(expected - set(received)) + rows.exclude(state=OutboxMessage.State.SENT).count()
    drain = drained_at - last_kill
    duplicate_percent = 100 * duplicates / recipients
    Newsletter.objects.filter(pk=newsletter.pk).delete()
    return {
        "recipients": recipients,
        "kills": arguments.kills,
        "workers": 2,
        "smtp_delay_ms": round(arguments.smtp_delay * 1000),
        "accept_delay_ms": round(arguments.accept_delay * 1000, 1),
        "lease_seconds": settings.OUTBOX_LEASE.total_seconds(),
        "sweep_seconds": settings.OUTBOX_SWEEP_SECONDS,
        "total_seconds": round(drained_at - started, 1),
        "drain_after_last_kill_seconds": round(drain, 1),
        "in_flight_at_kills": len(in_flight),
        # From a kill until none of its rows is held by a dead worker any more.
        "in_flight_reclaimed_within_seconds": round(max(reclaimed_after, default=0), 1),
        # From the first kill that caught a row until it was sent (behind the queue's rest).
        "in_flight_sent_within_seconds": round(max(late, default=0), 1),
        "delivered": len(received),
        "missed": missed,
        "duplicates": duplicates,
        "duplicate_percent": round(duplicate_percent, 3),
        "targets_met": drain < DRAIN_TARGET_SECONDS
        and missed == 0
        and duplicate_percent <= DUPLICATE_TARGET_PERCENT,
        "database": connection.vendor,
        "logs": str(folder),
    }


def main() -> None:
    arguments = parse_arguments()
    setup_django(arguments.broker)
    from bench.results import merge_results  # noqa: PLC0415

    print(f"Outbox kill test: {arguments.recipients} recipients, {arguments.kills} kills")
    result = run(arguments)
    width = max(len(key) for key in result)
    for key, value in result.items():
        print(f"  {key:<{width}}  {value}")
    out = merge_results(outbox_kill={k: v for k, v in result.items() if k != "logs"})
    print(f"written to {out}")
    if not result["targets_met"]:
        sys.exit("targets missed: drain < 60 s after the last kill, 0 missed, <= 0.1 % twice")


if __name__ == "__main__":
    main()
