"""One way to reach a person: notify decides the channel, the language and the address.

Apps say what happened to whom (an occasion and its context); they do not build e-mails.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models

from ankommen.messaging.channels import CHANNELS, Channel, Notice, Recipient
from ankommen.messaging.models import OutboxMessage


@dataclass(frozen=True)
class Reached:
    channel: str
    # False when the key had been used before: nothing was sent again.
    is_new: bool


def channel_for(person: Recipient | None) -> Channel | None:
    """The first channel, in order of registration, that can reach the person."""
    if person is None:
        return None
    return next((channel for channel in CHANNELS.providers() if channel.can_reach(person)), None)


def is_reachable(person: Recipient | None) -> bool:
    """Whether notify would reach the person; spares building a context nobody reads."""
    return channel_for(person) is not None


def notify(
    person: Recipient | None,
    *,
    occasion: str,
    context: dict[str, Any],
    key: str | None = None,
    category: str = OutboxMessage.Category.TRANSACTIONAL,
    about: Iterable[models.Model] = (),
    attachments: list[dict[str, Any]] | None = None,
    secret_context: dict[str, Any] | None = None,
) -> Reached | None:
    """Tell the person, in their language, by the first channel that reaches them; None when
    none does (most newcomers have no address: their own view shows the same)."""
    channel = channel_for(person)
    if person is None or channel is None:
        return None
    notice = Notice(
        person=person,
        occasion=occasion,
        language=person.preferred_language,
        context=context,
        key=key,
        category=category,
        about=about,
        attachments=attachments,
        secret_context=secret_context,
    )
    return Reached(channel=channel.name, is_new=channel.send(notice))
