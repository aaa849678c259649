"""Files attached to e-mails are built when the e-mail is sent, from a small stored spec.

Apps register a builder per kind (trainings: a session's .ics), so the outbox row stays small
and the file always shows the current state (a moved session, a new place).
"""

from dataclasses import dataclass
from typing import Any, Protocol

from ankommen.hooks import Hook, declare

Attachment = tuple[str, bytes, str]  # file name, content, MIME type


class BuildsAttachment(Protocol):
    def __call__(self, spec: dict[str, Any], /) -> Attachment: ...


@dataclass(frozen=True)
class AttachmentBuilder:
    kind: str
    build: BuildsAttachment


ATTACHMENTS: Hook[AttachmentBuilder] = declare(
    "messaging.attachments",
    "Files built when a mail is sent, one builder per kind of file (a session's .ics).",
    key=lambda builder: builder.kind,
)


def build_attachment(spec: dict[str, Any]) -> Attachment:
    builder = ATTACHMENTS.get(spec["kind"])
    if builder is None:
        raise LookupError(f"No app builds attachments of the kind {spec['kind']!r}.")
    return builder.build(spec)
