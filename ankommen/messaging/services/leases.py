"""Leases on claimed outbox rows: held while the claiming worker lives, lapsed soon after it dies.

Each delivery run claims its rows under a token of its own and a lease (OUTBOX_LEASE). A
thread renews the lease every fifth of it for as long as the run lasts, so a slow mail server
never lets it lapse; a killed worker renews nothing, and the sweep (`reclaim_lapsed_messages`,
when any delivery starts and every OUTBOX_SWEEP_SECONDS) sends its rows again once the lease
is over.
"""

import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from django.conf import settings
from django.db import connection
from django.utils import timezone

from ankommen.messaging.models import OutboxMessage

logger = logging.getLogger(__name__)


class Lease:
    """The claim of one delivery run on the rows it took; renewed in the background while kept."""

    def __init__(self) -> None:
        self.token = f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:12]}"
        self._seconds = settings.OUTBOX_LEASE.total_seconds()
        # When, on this process's monotonic clock, the lease last written runs out for sure.
        self._holds_until = 0.0
        self._stop = threading.Event()

    def until(self) -> datetime:
        """The lease_until to write now."""
        return timezone.now() + settings.OUTBOX_LEASE

    def granted(self, *, asked_at: float) -> None:
        """Rows were claimed (or renewed) with until() read after `asked_at`."""
        self._holds_until = asked_at + self._seconds

    def covers_a_send(self) -> bool:
        """Half the lease left is ample for one message; less and the row is checked first."""
        return time.monotonic() < self._holds_until - self._seconds / 2

    def renew(self) -> int:
        asked_at = time.monotonic()
        renewed = OutboxMessage.objects.filter(
            claimed_by=self.token, state=OutboxMessage.State.SENDING
        ).update(lease_until=self.until())
        self.granted(asked_at=asked_at)
        return renewed

    @contextmanager
    def kept(self) -> Iterator["Lease"]:
        """Renew in a thread while the block runs: a send blocked on the mail server goes on
        holding its rows, and only a dead process stops renewing."""
        keeper = threading.Thread(target=self._keep, name=f"outbox-lease-{self.token}", daemon=True)
        keeper.start()
        try:
            yield self
        finally:
            self._stop.set()
            keeper.join()

    def _keep(self) -> None:
        try:
            while not self._stop.wait(self._seconds / 5):
                try:
                    self.renew()
                except Exception:  # the database may blip; the next round tries again
                    logger.warning("Could not renew the outbox lease %s.", self.token)
        finally:
            connection.close()  # this thread's own connection, opened only if it renewed
