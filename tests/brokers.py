"""Point the Celery app of the test process at a real broker for the length of a test."""

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse, urlunparse

from django.conf import settings
from django.db import connection

from ankommen.celery import app
from ankommen.operations.worker_command import celery_worker_command

ROOT = Path(settings.BASE_DIR)


def isolated_redis_url() -> str:
    """A Redis database of its own, so a developer's running worker never takes test tasks;
    ANKOMMEN_TEST_REDIS_DB gives runs that share one Redis a database each."""
    parsed = urlparse(os.environ["REDIS_URL"])
    return urlunparse(parsed._replace(path=f"/{os.environ.get('ANKOMMEN_TEST_REDIS_DB', '15')}"))


def database_url() -> str:
    """The URL of the test database, for a worker process to open."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    return (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    )


def _reset_connections() -> None:
    """Forget pooled connections, so the next publish opens one to the new broker."""
    app.close()
    if "amqp" in app.__dict__:
        app.amqp._producer_pool = None


@contextmanager
def celery_broker(url: str, transport_options: dict | None = None) -> Iterator[None]:
    keys = ("broker_url", "broker_transport_options", "task_always_eager")
    previous = {key: app.conf[key] for key in keys}
    app.conf.update(
        broker_url=url,
        broker_transport_options=transport_options or {},
        task_always_eager=False,
    )
    _reset_connections()
    try:
        yield
    finally:
        app.conf.update(previous)
        _reset_connections()


@dataclass
class Worker:
    """A real `celery worker` process, in a session of its own (with its embedded beat)."""

    process: subprocess.Popen
    log: Path

    def wait_until_ready(self, timeout: float = 30) -> None:
        try:
            deadline = time.monotonic() + timeout
            while "ready." not in self.log.read_text():
                assert self.process.poll() is None, f"worker died:\n{self.log.read_text()}"
                assert time.monotonic() < deadline, f"worker not ready:\n{self.log.read_text()}"
                time.sleep(0.2)
        except BaseException:
            self.kill()
            raise

    def stop(self) -> None:
        """A warm shutdown, as on a deploy; killed if it does not end in time."""
        if self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.kill()

    def kill(self) -> None:
        """SIGKILL to the whole group, as a pulled plug would: no cleanup, no acks."""
        with suppress(ProcessLookupError):  # the group has already gone
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()


def spawn_worker(
    env: dict[str, str], log: Path, *, beat: bool = False, name: str = "pytest"
) -> Worker:
    """Start a worker as production runs it; several can start at once, then wait for each."""
    command = celery_worker_command(
        beat_schedule=log.parent / "beat-schedule" if beat else None, hostname=f"{name}@%h"
    )
    full_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ankommen.settings.base",
        "DATABASE_URL": database_url(),
        **env,
    }
    with log.open("w") as output:
        process = subprocess.Popen(
            command, cwd=ROOT, env=full_env, stdout=output, stderr=output, start_new_session=True
        )
    return Worker(process, log)


@contextmanager
def worker_process(env: dict[str, str], log: Path, *, beat: bool = False) -> Iterator[None]:
    """A real `celery worker` process, stopped when the block ends."""
    worker = spawn_worker(env, log, beat=beat)
    try:
        worker.wait_until_ready()
        yield
    finally:
        worker.stop()


def wait_for(condition, *, timeout: float = 20, message: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, message or "condition not met in time"
        time.sleep(0.2)
