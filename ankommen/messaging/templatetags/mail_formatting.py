"""E-mail contexts are stored as JSON: dates travel as ISO strings and are formatted late,
in the recipient's language and the portal's time zone."""

from datetime import date, datetime

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def parse_iso(value: str) -> datetime | date | str:
    """'2026-12-01T18:00:00+01:00' -> an aware local datetime; '2026-12-01' -> a date."""
    if not value:
        return value
    try:
        parsed = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return value
    if len(value) == 10:
        return parsed.date()
    return timezone.localtime(parsed) if timezone.is_aware(parsed) else parsed
