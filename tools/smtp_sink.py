"""An SMTP server in a thread that accepts every message after a mail server's usual pause and
remembers when each recipient's mail and each Message-ID arrived (bench/mail_priority.py,
tools/scale_drill.py)."""

import asyncio
import random
import threading
import time
from collections import Counter
from email import message_from_bytes
from typing import Any

from aiosmtpd.controller import Controller

from tools.serving import free_port


class SmtpSink:
    """Accepts after a random delay in [min_delay, max_delay] seconds, as a real relay would."""

    def __init__(self, *, min_delay: float = 0.005, max_delay: float = 0.020) -> None:
        self.port = free_port()
        self.url = f"smtp://127.0.0.1:{self.port}"
        self._delays = (min_delay, max_delay)
        # Seeded: two runs of a benchmark see the same mail server.
        self._random = random.Random(20)  # noqa: S311 (a delay, not a secret)
        self._lock = threading.Lock()
        self._first_arrival: dict[str, float] = {}
        self._message_ids: Counter[str] = Counter()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        await asyncio.sleep(self._random.uniform(*self._delays))
        arrived = time.monotonic()
        message_id = str(message_from_bytes(envelope.content)["Message-ID"] or "").strip()
        with self._lock:
            self._message_ids[message_id] += 1
            for recipient in envelope.rcpt_tos:
                self._first_arrival.setdefault(recipient.lower(), arrived)
        return "250 Message accepted for delivery"

    def arrived_at(self, recipient: str) -> float | None:
        """time.monotonic() when the first mail to the recipient was accepted."""
        with self._lock:
            return self._first_arrival.get(recipient.lower())

    def message_ids(self) -> Counter[str]:
        with self._lock:
            return Counter(self._message_ids)

    def accepted(self) -> int:
        with self._lock:
            return sum(self._message_ids.values())

    def forget(self) -> None:
        with self._lock:
            self._first_arrival.clear()
            self._message_ids.clear()

    def start(self) -> None:
        self._controller.start()

    def stop(self) -> None:
        self._controller.stop()
