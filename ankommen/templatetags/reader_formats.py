"""`{{ when|reader_datetime }}`, `{{ day|reader_date }}`, `{{ hours|reader_number }}`: dates,
times and numbers in the active language from CLDR (ankommen/dates.py). ISO strings from mail
contexts are accepted too; any other text (a mail queued before dates travelled raw) is shown
as it is. `{{ sentence|one_full_stop }}` after `{% blocktranslate ... asvar sentence %}` keeps a
date that ends in its own full stop (Ukrainian, Russian) from doubling the sentence's."""

from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils.safestring import SafeData, mark_safe

from ankommen import dates

register = template.Library()


def _or_as_is(format_value: Callable[[], str], value: Any) -> str:
    try:
        return format_value()
    except (TypeError, ValueError, InvalidOperation):
        return str(value)


@register.filter
def reader_date(value: date | datetime | str | None, length: dates.Length = "long") -> str:
    if not value:
        return ""
    return _or_as_is(lambda: dates.format_date(value, length=length), value)


@register.filter
def reader_time(value: datetime | time | str | None) -> str:
    if not value:
        return ""
    return _or_as_is(lambda: dates.format_time(value), value)


@register.filter
def reader_datetime(value: datetime | str | None, length: dates.Length = "long") -> str:
    if not value:
        return ""
    return _or_as_is(lambda: dates.format_datetime(value, length=length), value)


@register.filter
def reader_number(value: int | float | Decimal | str | None, places: int | None = None) -> str:
    """`{{ hours|reader_number:2 }}`: two decimals for a fraction, none for a whole number."""
    if value is None or value == "":
        return ""
    return _or_as_is(lambda: dates.format_number(value, places=places), value)


@register.filter(is_safe=True)
def one_full_stop(value: str) -> str:
    text = dates.one_full_stop(str(value))
    # Collapsing two full stops into one cannot open any markup.
    return mark_safe(text) if isinstance(value, SafeData) else text  # noqa: S308
