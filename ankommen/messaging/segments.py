"""Who a newsletter goes to. Apps register further segments (a working group, a district).

A segment yields subscriptions; only confirmed ones whose address still works receive mail,
whatever the segment says.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ankommen.hooks import Hook, declare
from ankommen.messaging.models import AddressHealth, Subscription


@dataclass(frozen=True)
class Segment:
    kind: str
    label: str | Promise
    subscriptions: Callable[[str], QuerySet[Subscription]]
    # Choices for the segment's value (the language, the group); None when it takes none.
    values: Callable[[], list[tuple[str, str]]] | None = None


SEGMENTS: Hook[Segment] = declare(
    "messaging.segments",
    "Who a newsletter can go to (all, a language, a working group, a district), one per kind.",
    key=lambda segment: segment.kind,
)


def segments() -> list[Segment]:
    return SEGMENTS.providers()


def get_segment(kind: str) -> Segment | None:
    return SEGMENTS.get(kind)


def segment_label(kind: str, value: str) -> str:
    segment = get_segment(kind)
    if segment is None:
        return kind
    if segment.values is None:
        return str(segment.label)
    names = dict(segment.values())
    return f"{segment.label}: {names.get(value, value)}"


def recipients_for(kind: str, value: str) -> QuerySet[Subscription]:
    segment = get_segment(kind)
    if segment is None:
        return Subscription.objects.none()
    skipped = AddressHealth.objects.filter(suppressed_at__isnull=False).values("email")
    return (
        segment.subscriptions(value)
        .filter(state=Subscription.State.CONFIRMED)
        .exclude(email__in=skipped)
    )


def _all(value: str) -> QuerySet[Subscription]:
    return Subscription.objects.all()


def _volunteers(value: str) -> QuerySet[Subscription]:
    return Subscription.objects.filter(user__role="volunteer", user__is_active=True)


def _language(value: str) -> QuerySet[Subscription]:
    return Subscription.objects.filter(language=value)


# The segments the kernel can answer by itself; the messaging app registers them.
KERNEL_SEGMENTS = (
    Segment("all", _("All subscribers"), _all),
    Segment("volunteers", _("All active volunteers"), _volunteers),
    Segment(
        "language",
        _("Subscribers reading a language"),
        _language,
        values=lambda: [(code, name) for code, name in settings.LANGUAGES],
    ),
)
