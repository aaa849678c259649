"""Benchmark: how long a password reset takes to arrive while a 10,000-recipient newsletter sends.

Real processes as deployed: PostgreSQL, Redis, Celery workers started as docker-compose.yml
starts them, and an SMTP server (tools/smtp_sink.py, in this process) that takes 5-20 ms per
message. For each deployment shape the newsletter is sent the real way (send_newsletter_now,
fan-out in a worker); once its backlog waits in the queues, password resets are requested
through allauth's view (an HTTP POST with Django's test client, one second apart), and the
time from the POST until the SMTP server accepted the reset mail is measured.

Shapes:
- recommended: compose's `worker` (all queues, prefork, 2 processes) + `mail-worker` (mail only)
- single-worker: compose's `worker` alone
- embedded-worker: the single machine's worker (`runportal`: solo pool, all queues)
- one-queue: as before the queues were split (every mail in one queue), for comparison; it
  waits for the whole newsletter, so it runs only when asked for (--shapes one-queue)

Merges {"mail_priority": {...}} into bench/results.json (or $BENCH_OUT). Target: <= 10 s.

    make bench-mail-priority   # or: .venv/bin/python -m bench.mail_priority
"""

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ankommen_bench")
# A Redis database of the benchmark's own: it is emptied before every shape.
BROKER_URL = os.environ.setdefault("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
os.environ["CELERY_BROKER_URL"] = BROKER_URL
os.environ["DJANGO_SETTINGS_MODULE"] = "ankommen.settings.base"
os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")

import django

django.setup()
# whitenoise's note that collectstatic has not run: the benchmark serves no static files.
warnings.filterwarnings("ignore", message="No directory at")

import redis
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client

from ankommen.accounts.models import User
from ankommen.messaging.models import Newsletter, OutboxMessage
from ankommen.messaging.services import newsletters, outbox
from ankommen.operations.worker_command import celery_worker_command
from bench.newsletter import prepare
from bench.results import merge_results
from tools.smtp_sink import SmtpSink

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 10.0
ALL_QUEUES = ",".join(settings.WORKER_QUEUES)


def compose_worker(name: str, *, queues: str, concurrency: int) -> list[str]:
    """The command line of a worker in docker-compose.yml."""
    return [
        sys.executable, "-m", "celery", "-A", "ankommen", "worker", "--loglevel=INFO",
        f"--concurrency={concurrency}", f"--queues={queues}", f"--hostname={name}@%h",
    ]  # fmt: skip


@dataclass
class Shape:
    name: str
    description: str
    workers: dict[str, list[str]]
    resets: int
    # Before the split every mail went to one queue; the fan-out then runs here, patched.
    one_queue: bool = False


SHAPES_IN_ORDER = [
    Shape(
        "recommended",
        "worker (all queues, 2 processes) + mail-worker (mail, 1 process)",
        {
            "worker": compose_worker("worker", queues=ALL_QUEUES, concurrency=2),
            "mail": compose_worker("mail", queues=settings.MAIL_QUEUE, concurrency=1),
        },
        resets=5,
    ),
    Shape(
        "single-worker",
        "worker alone (all queues, 2 processes)",
        {"worker": compose_worker("worker", queues=ALL_QUEUES, concurrency=2)},
        resets=5,
    ),
    Shape(
        "embedded-worker",
        "the single machine's worker (solo pool, all queues)",
        {"embedded": celery_worker_command(beat_schedule=None, hostname="embedded@%h")},
        resets=5,
    ),
    Shape(
        "one-queue",
        "before the split: one queue for all mail, worker with 2 processes",
        {"worker": compose_worker("worker", queues=ALL_QUEUES, concurrency=2)},
        resets=1,
        one_queue=True,
    ),
]
SHAPES = {shape.name: shape for shape in SHAPES_IN_ORDER}
# The comparison waits for the whole newsletter (minutes): only on request.
DEFAULT_SHAPES = [shape.name for shape in SHAPES_IN_ORDER if not shape.one_queue]


def wait_until(condition: Callable[[], bool], *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            sys.exit(f"timed out waiting for {what}")
        time.sleep(0.05)


class Workers:
    def __init__(self, commands: dict[str, list[str]], env: dict[str, str], logs: Path) -> None:
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self.logs = {name: logs / f"{name}.log" for name in commands}
        for name, command in commands.items():
            with self.logs[name].open("w") as log:
                self.processes[name] = subprocess.Popen(
                    command, cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True
                )

    def wait_until_ready(self) -> None:
        for name, log in self.logs.items():
            wait_until(lambda log=log: "ready." in log.read_text(), timeout=60, what=name)

    def kill(self) -> None:
        """The newsletter need not finish: the measurement is over."""
        for process in self.processes.values():
            with suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def reset_users(count: int) -> list[User]:
    users = []
    for number in range(count):
        user, _created = User.objects.get_or_create(
            email=f"reset{number}@bench.ankommen.example",
            defaults={"full_name": f"Reset {number}", "preferred_language": "de"},
        )
        users.append(user)
    return users


def request_reset(client: Client, user: User, sink: SmtpSink) -> float:
    """Seconds from the POST to allauth's view until the SMTP server accepted the mail."""
    started = time.monotonic()
    response = client.post("/de/accounts/password/reset/", {"email": user.email})
    if response.status_code != 302:
        sys.exit(f"password reset answered {response.status_code}")
    wait_until(lambda: sink.arrived_at(user.email) is not None, timeout=900, what="reset mail")
    return (sink.arrived_at(user.email) or started) - started


def newsletter_rows(newsletter: Newsletter, state: str) -> int:
    return OutboxMessage.objects.filter(newsletter=newsletter, state=state).count()


def run_shape(shape: Shape, *, recipients: int, sink: SmtpSink, logs: Path) -> dict[str, object]:
    newsletter = prepare(recipients)
    OutboxMessage.objects.all().delete()
    users = reset_users(shape.resets + 1)
    cache.clear()  # allauth's rate limits from the previous shape
    redis.Redis.from_url(BROKER_URL).flushdb()
    sink.forget()
    connection.close()
    env = {
        **os.environ,
        "EMAIL_URL": sink.url,
        "ANKOMMEN_VAR_DIR": str(logs),
    }
    workers = Workers(shape.workers, env, logs / shape.name)
    client = Client()
    try:
        workers.wait_until_ready()
        idle = request_reset(client, users[0], sink)
        started = time.monotonic()
        if shape.one_queue:
            with mock.patch.object(outbox, "queue_for", return_value=settings.MAIL_QUEUE):
                Newsletter.objects.filter(pk=newsletter.pk).update(state="sending")
                newsletters.fan_out_newsletter(newsletter_id=newsletter.pk)
        else:
            newsletters.send_newsletter_now(newsletter=newsletter)
            wait_until(
                lambda: Newsletter.objects.filter(
                    pk=newsletter.pk, fanned_out_at__isnull=False
                ).exists(),
                timeout=120,
                what="the fan-out",
            )
        backlog = newsletter_rows(newsletter, OutboxMessage.State.PENDING)
        latencies = []
        for user in users[1:]:
            latencies.append(request_reset(client, user, sink))
            time.sleep(1)
        elapsed = time.monotonic() - started
        sent_meanwhile = newsletter_rows(newsletter, OutboxMessage.State.SENT)
    finally:
        workers.kill()
    return {
        "workers": shape.description,
        "reset_seconds_idle": round(idle, 2),
        "reset_seconds": [round(latency, 2) for latency in latencies],
        "reset_seconds_median": round(statistics.median(latencies), 2),
        "reset_seconds_max": round(max(latencies), 2),
        "newsletter_pending_at_first_reset": backlog,
        "newsletter_sent_per_second": round(sent_meanwhile / elapsed, 1),
        "within_target": max(latencies) <= TARGET_SECONDS,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--shapes", nargs="*", default=DEFAULT_SHAPES, choices=list(SHAPES))
    arguments = parser.parse_args()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    sink = SmtpSink(min_delay=0.005, max_delay=0.020)
    sink.start()
    results: dict[str, dict[str, object]] = {}
    summary = {
        "recipients": arguments.recipients,
        "smtp_delay_ms": [5, 20],
        "target_seconds": TARGET_SECONDS,
        "database": connection.vendor,
        "shapes": results,
    }
    try:
        with tempfile.TemporaryDirectory(prefix="mail-priority-") as folder:
            for name in arguments.shapes:
                shape = SHAPES[name]
                (Path(folder) / name).mkdir()
                print(f"{name}: {shape.description} ...", flush=True)
                results[name] = run_shape(
                    shape, recipients=arguments.recipients, sink=sink, logs=Path(folder)
                )
                for key, value in results[name].items():
                    print(f"  {key:<36} {value}", flush=True)
                merge_results(mail_priority=summary)  # a later shape may take long
    finally:
        sink.stop()
    print(f"written to {merge_results(mail_priority=summary)}")
    failed = [
        name
        for name, result in results.items()
        if not SHAPES[name].one_queue and not result["within_target"]
    ]
    if failed:
        sys.exit(f"over {TARGET_SECONDS} s: {', '.join(failed)}")


if __name__ == "__main__":
    main()
