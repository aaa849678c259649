"""The command line of the single-machine worker, shared by `runportal` and the worker tests."""

import sys
from pathlib import Path

from django.conf import settings


def celery_worker_command(
    *, beat_schedule: Path | None, hostname: str | None = None, queues: list[str] | None = None
) -> list[str]:
    """One solo-pool worker; with a beat schedule it also runs beat, so one scheduler exists.

    It consumes every queue unless told otherwise: the single machine has no other worker.
    """
    command = [
        sys.executable, "-m", "celery", "-A", "ankommen", "worker", "--pool=solo",
        "--loglevel=INFO", "--without-gossip", "--without-mingle",
        f"--queues={','.join(queues or settings.WORKER_QUEUES)}",
    ]  # fmt: skip
    if hostname:
        command.append(f"--hostname={hostname}")
    if beat_schedule is not None:
        command += ["--beat", f"--schedule={beat_schedule}"]
    return command
