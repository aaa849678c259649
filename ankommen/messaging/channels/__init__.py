"""The ways a person can be reached. Each channel is one module, registered into CHANNELS.

The order of registration is the order of preference: a message goes by the first channel
that can reach the person (see `ankommen.messaging.services.notify`). E-mail comes first, so a
channel added later (SMS, a messenger) reaches the people e-mail cannot: most newcomers.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol, TypeAlias

from django.db import models

from ankommen.accounts.models import User
from ankommen.hooks import Hook, declare
from ankommen.messaging.models import OutboxMessage


@dataclass(frozen=True)
class Contact:
    """Someone reached apart from an account of their own: a partner organisation's contact
    person, or a newcomer at the address on their record."""

    email: str | None
    display_name: str
    preferred_language: str
    # Named as the recipient of what is sent, so erasing the account reaches it too.
    account: User | None = None


Recipient: TypeAlias = User | Contact


@dataclass(frozen=True)
class Notice:
    """One occasion told to one person, in their language; what each channel sends."""

    person: Recipient
    # "<app>/<name>"; each channel has its own wording for it (e-mail: <app>/email/<name>).
    occasion: str
    language: str
    context: dict[str, Any]
    # Sending twice under one key sends once.
    key: str | None = None
    category: str = OutboxMessage.Category.TRANSACTIONAL
    # The people the notice tells about, so that erasing one of them reaches it too.
    about: Iterable[models.Model] = ()
    attachments: list[dict[str, Any]] | None = None
    # Links that work without a password: kept only until the notice is sent.
    secret_context: dict[str, Any] | None = None


class Channel(Protocol):
    name: str

    def can_reach(self, person: Recipient) -> bool:
        """True when this channel has an address for the person that they have not opted out of."""
        ...

    def send(self, notice: Notice) -> bool:
        """Queue the notice; False when its key was already used, so nothing new was queued."""
        ...


CHANNELS: Hook[Channel] = declare(
    "messaging.channels",
    "The ways a person can be reached, in order of preference: a notice goes by the first "
    "that can reach the person. Without one nobody is told anything.",
    required=True,
    key=lambda channel: channel.name,
)
