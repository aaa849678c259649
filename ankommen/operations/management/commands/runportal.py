import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from ankommen.operations.worker_command import celery_worker_command

MANAGE_PY = Path(settings.BASE_DIR) / "manage.py"


def prepare_broker_folders() -> None:
    """kombu's filesystem transport needs its folders before the first message."""
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        Path(settings.CELERY_BROKER_TRANSPORT_OPTIONS[key]).mkdir(parents=True, exist_ok=True)


class Command(BaseCommand):
    help = "Serve the portal with its background worker and scheduler, for one machine."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.IS_EMBEDDED_BROKER:
            prepare_broker_folders()
        Path(settings.CELERY_BEAT_SCHEDULE_FILENAME).parent.mkdir(parents=True, exist_ok=True)
        # One worker with beat inside it: one scheduler, so every periodic job runs once.
        worker = subprocess.Popen(  # noqa: S603 (fixed arguments)
            celery_worker_command(beat_schedule=Path(settings.CELERY_BEAT_SCHEDULE_FILENAME))
        )
        server = subprocess.Popen(  # noqa: S603
            [sys.executable, str(MANAGE_PY), "runserver", f"{options['host']}:{options['port']}"],
        )
        self.stdout.write(
            self.style.SUCCESS(f"Ankommen runs at http://{options['host']}:{options['port']}/")
        )
        children = (server, worker)
        signal.signal(signal.SIGTERM, lambda *_: server.terminate())
        try:
            while all(child.poll() is None for child in children):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            for child in children:
                if child.poll() is None:
                    child.terminate()
            for child in children:
                try:
                    child.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    child.kill()
