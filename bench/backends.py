"""An e-mail backend for benchmarks: builds every message as SMTP would, keeps only a count."""

from collections.abc import Sequence

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend


class CountingEmailBackend(BaseEmailBackend):
    sent = 0
    bytes_total = 0

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        for message in email_messages:
            # The full MIME bytes, exactly what an SMTP server would receive.
            CountingEmailBackend.bytes_total += len(message.message().as_bytes())
            CountingEmailBackend.sent += 1
        return len(email_messages)
