"""Dates, times and numbers as a reader of each of our languages writes them, from CLDR (Babel).

Django's own formats cover only some of our languages (none for Pashto, Tigrinya, Somali,
Kurmanji) and take month names from gettext, so Pashto read "Jan. 4, 2027, 2 nachm.". Babel
carries CLDR's data for all twelve: month names in the reader's script, the reader's order,
their day periods and separators. Every date a reader sees goes through here, on pages by the
`reader_formats` template filters, in e-mails at sending time in the recipient's language.

Why functions and filters rather than FORMAT_MODULE_PATH modules: a Django format module can
only rearrange Django's format characters, and its month names still come from gettext. CLDR
patterns (Ukrainian long dates ending in their own abbreviated "year.", Ethiopic month names,
Arabic date separators) cannot be written in it without copying CLDR by hand into twelve
modules that would then drift from it.
"""

import re
from datetime import date, datetime, time
from decimal import Decimal
from functools import lru_cache
from typing import Literal

from babel import Locale, UnknownLocaleError
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from django.conf import settings
from django.utils import timezone, translation

Length = Literal["short", "medium", "long", "full"]

# Our language codes are CLDR's: "ku" is Northern Kurdish (Kurmanji, Latin script) in CLDR,
# as on our language menu; "ti" is Tigrinya, "so" Somali, "ps" Pashto.
_DOUBLE_FULL_STOP = re.compile(r"(?<!\.)\.\.(?!\.)")


def reader_locale(language: str | None = None) -> Locale:
    """The CLDR locale for a Django language code (the active one if none is given)."""
    return _locale(language or translation.get_language() or settings.LANGUAGE_CODE)


@lru_cache(maxsize=32)
def _locale(code: str) -> Locale:
    try:
        return Locale.parse(translation.to_locale(code))
    except (UnknownLocaleError, ValueError):
        return Locale.parse(translation.to_locale(settings.LANGUAGE_CODE))


def _parse(value: date | datetime | str) -> date | datetime:
    """Mail contexts are JSON: dates travel as ISO strings ('2026-12-08', with a time and
    offset for moments)."""
    if isinstance(value, str):
        parsed = datetime.fromisoformat(value)
        return parsed.date() if len(value) == 10 else parsed
    return value


def _local(value: datetime) -> datetime:
    """An aware moment in the portal's time zone; a naive one is taken as already local."""
    return timezone.localtime(value) if timezone.is_aware(value) else value


def format_date(
    value: date | datetime | str, *, language: str | None = None, length: Length = "long"
) -> str:
    """'4 January 2027' in the reader's words: "long" names the month, "medium" may abbreviate
    or use digits (Arabic "04‏/01‏/2027"), as CLDR writes it for that language."""
    parsed = _parse(value)
    if isinstance(parsed, datetime):
        parsed = _local(parsed).date()
    return babel_dates.format_date(parsed, format=length, locale=reader_locale(language))


def format_time(value: datetime | time | str, *, language: str | None = None) -> str:
    """Hours and minutes with the reader's day periods ('2:05 م', '14:05')."""
    parsed = _parse(value) if isinstance(value, str) else value
    if isinstance(parsed, datetime):
        parsed = _local(parsed).replace(tzinfo=None).time()
    elif isinstance(parsed, date):
        raise TypeError("A date has no time of day.")
    return babel_dates.format_time(parsed, format="short", locale=reader_locale(language))


def format_datetime(
    value: datetime | str, *, language: str | None = None, length: Length = "long"
) -> str:
    """The date (long: month in words) and the time joined the way the language joins them."""
    parsed = _parse(value)
    if not isinstance(parsed, datetime):
        return format_date(parsed, language=language, length=length)
    locale = reader_locale(language)
    glue = str(locale.datetime_formats.get(length, "{1} {0}"))
    # Babel joins date and time like this for its own lengths (quotes are CLDR literals).
    return (
        glue.replace("'", "")
        .replace("{1}", format_date(parsed, language=language, length=length))
        .replace("{0}", format_time(parsed, language=language))
    )


def format_month(
    value: date, *, language: str | None = None, abbreviated: bool = False, year: bool = True
) -> str:
    """'Dezember 2026', 'Dez. 2026' or 'Dez' (chart axes), from the language's CLDR skeletons."""
    skeleton = ("y" if year else "") + ("MMM" if abbreviated else "MMMM")
    return babel_dates.format_skeleton(skeleton, value, locale=reader_locale(language))


def format_number(
    value: int | float | Decimal | str, *, language: str | None = None, places: int | None = None
) -> str:
    """'1.234,5' in German, '1,234.5' in English, as CLDR writes the language's numbers. With
    `places`, a fraction shows exactly that many decimals and a whole number none ('3,50', '3'),
    as Django's floatformat:"-2" did."""
    number = Decimal(str(value))
    locale = reader_locale(language)
    if places is None:
        return babel_numbers.format_decimal(number, locale=locale)
    whole = number == number.to_integral_value()
    pattern = "#,##0" if whole or places <= 0 else "#,##0." + "0" * places
    return babel_numbers.format_decimal(number, format=pattern, locale=locale)


def one_full_stop(text: str) -> str:
    """A sentence ending in an abbreviated date (Ukrainian, Russian) takes no second full stop."""
    return _DOUBLE_FULL_STOP.sub(".", text)
