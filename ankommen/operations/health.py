"""What /healthz reports: the database, the broker and whether workers (with beat) are alive."""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

logger = logging.getLogger(__name__)

HEARTBEAT_CACHE_KEY = "operations:worker-heartbeat"


@dataclass(frozen=True)
class Check:
    status: str  # "ok", "down", "stale" or "unknown"
    detail: str = ""

    def as_dict(self) -> dict[str, str]:
        return (
            {"status": self.status, "detail": self.detail}
            if self.detail
            else {"status": self.status}
        )


def check_database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:
        logger.warning("Health check: database unreachable: %s", error)
        return Check("down", type(error).__name__)
    return Check("ok")


def check_broker() -> Check:
    if settings.IS_EMBEDDED_BROKER:
        folder = Path(settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"])
        if folder.is_dir():
            return Check("ok", "filesystem")
        return Check("down", "filesystem queue folder is missing")
    from ankommen.celery import app  # noqa: PLC0415 (only needed for a networked broker)

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=2)
    except Exception as error:
        return Check("down", type(error).__name__)
    return Check("ok", "redis")


def record_heartbeat(*, hostname: str) -> None:
    cache.set(HEARTBEAT_CACHE_KEY, {"at": timezone.now().isoformat(), "hostname": hostname}, None)


def last_heartbeat_at() -> datetime | None:
    try:
        beat = cache.get(HEARTBEAT_CACHE_KEY)
    except Exception:
        return None
    return parse_datetime(beat["at"]) if beat else None


def check_workers() -> Check:
    """Beat sends a heartbeat task on a schedule; a fresh one proves beat and a worker run."""
    beat_at = last_heartbeat_at()
    if beat_at is None:
        return Check("unknown", "no heartbeat recorded yet")
    age = timezone.now() - beat_at
    allowed = settings.HEARTBEAT_INTERVAL * 3 + timedelta(seconds=5)
    detail = f"last heartbeat {int(age.total_seconds())} s ago"
    return Check("ok" if age <= allowed else "stale", detail)
