"""CSV files that open correctly in a spreadsheet by double click: the one writer of every export.

Excel reads a CSV with the separators of the computer's language: in German (and French,
Russian, Turkish, Ukrainian) the decimal separator is a comma, so the list separator is a
semicolon, and without a byte order mark it takes UTF-8 for the old Windows code page. Those
coordinators get `;`, decimal commas and a BOM; everyone else commas and points with a BOM;
`plain` is the comma-separated file without BOM that other programs expect.
"""

import csv
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import timezone, translation

# Languages whose Excel uses a decimal comma and therefore ";" between the cells.
DECIMAL_COMMA_LANGUAGES = frozenset({"de", "fr", "ru", "tr", "uk"})
# A cell starting with one of these is a formula to a spreadsheet (or hides one after a tab).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Digits with the signs people write phone numbers and amounts with: nothing a spreadsheet
# could run, so "+49 511 123456" and "-3" stay as they are, without a leading apostrophe.
NUMBER_LIKE = re.compile(r"[+-]?[0-9][0-9 ()./-]*\Z")
PLAIN_PARAMETER = "plain"
CONTENT_TYPE = "text/csv; charset=utf-8"


@dataclass(frozen=True)
class CsvDialect:
    delimiter: str
    decimal_comma: bool
    byte_order_mark: bool


DECIMAL_COMMA = CsvDialect(delimiter=";", decimal_comma=True, byte_order_mark=True)
DECIMAL_POINT = CsvDialect(delimiter=",", decimal_comma=False, byte_order_mark=True)
PLAIN = CsvDialect(delimiter=",", decimal_comma=False, byte_order_mark=False)


def dialect_for(*, language: str, plain: bool = False) -> CsvDialect:
    """What a spreadsheet in this language opens by double click; `plain` is RFC 4180."""
    if plain:
        return PLAIN
    if language.split("-")[0] in DECIMAL_COMMA_LANGUAGES:
        return DECIMAL_COMMA
    return DECIMAL_POINT


def requested_dialect(request: HttpRequest) -> CsvDialect:
    """The language of the page asked from, unless the link asked for the plain file."""
    plain = request.GET.get(PLAIN_PARAMETER) == "1"
    return dialect_for(language=translation.get_language() or "", plain=plain)


def defuse(value: str) -> str:
    """A person's text that a spreadsheet would run as a formula gets a leading apostrophe;
    phone numbers and signed numbers are no formula and stay untouched."""
    if value.startswith(FORMULA_STARTS) and not NUMBER_LIKE.match(value):
        return "'" + value
    return value


def cell_text(value: object, dialect: CsvDialect) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (Decimal, float)):
        text = format(value, "f") if isinstance(value, Decimal) else repr(value)
        return text.replace(".", ",") if dialect.decimal_comma else text
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return defuse(str(value))


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(
    *, header: Sequence[object], rows: Iterable[Sequence[object]], dialect: CsvDialect
) -> Iterator[str]:
    """The file line by line, so that a long export streams instead of filling memory."""
    writer = csv.writer(_Echo(), delimiter=dialect.delimiter, lineterminator="\r\n")
    if dialect.byte_order_mark:
        yield "\ufeff"
    yield writer.writerow([cell_text(value, dialect) for value in header])
    for row in rows:
        yield writer.writerow([cell_text(value, dialect) for value in row])


def csv_response(
    *,
    header: Sequence[object],
    rows: Iterable[Sequence[object]],
    filename: str,
    dialect: CsvDialect,
) -> HttpResponse:
    """The download of a CSV file named `filename` (without ".csv")."""
    response = HttpResponse(
        "".join(csv_lines(header=header, rows=rows, dialect=dialect)), content_type=CONTENT_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def csv_streaming_response(
    *,
    header: Sequence[object],
    rows: Iterable[Sequence[object]],
    filename: str,
    dialect: CsvDialect,
) -> StreamingHttpResponse:
    """The same download, written while the rows are read: for exports of thousands."""
    response = StreamingHttpResponse(
        csv_lines(header=header, rows=rows, dialect=dialect), content_type=CONTENT_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response
