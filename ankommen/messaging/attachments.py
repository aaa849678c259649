"""Files attached to e-mails are built when the e-mail is sent, from a small stored spec.

Apps register a builder per kind (trainings: a session's .ics), so the outbox row stays small
and the file always shows the current state (a moved session, a new place).
"""

from collections.abc import Callable
from typing import Any

Attachment = tuple[str, bytes, str]  # file name, content, MIME type

_builders: dict[str, Callable[[dict[str, Any]], Attachment]] = {}


def register_attachment_builder(kind: str, builder: Callable[[dict[str, Any]], Attachment]) -> None:
    _builders[kind] = builder


def build_attachment(spec: dict[str, Any]) -> Attachment:
    return _builders[spec["kind"]](spec)
