"""Rows out of an uploaded CSV or XLSX file, with what is wrong with the file or a row.

Both readers stream, and every limit is checked row by row as the rows come in: a file is
refused as soon as it goes past one, before the rest of it is read.
"""

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from cockpit.imports.limits import (
    MAX_BYTES,
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_ROWS,
    MAX_TEXT_CHARS,
    FileError,
)
from cockpit.imports.xlsx import (
    too_long_value,
    too_many_columns,
    too_many_rows,
    too_much_text,
    xlsx_rows,
)

__all__ = ["FileError", "Row", "read_table"]

# Bytes that are not UTF-8 survive decoding as these surrogates; a row holding one is refused.
NOT_UTF8 = re.compile("[\udc80-\udcff]")
# A record may span lines only inside quotes (a note with line breaks); more lines than this
# in one record, or a longer line, is not a table but an attempt to make one huge row.
MAX_LINES_PER_RECORD = 100
MAX_LINE_CHARS = MAX_COLUMNS * MAX_CELL_CHARS


@dataclass
class Row:
    line: int
    values: dict[str, str]
    errors: list[str] = field(default_factory=list)


def _header(name: object) -> str:
    return str(name or "").strip().lower().replace(" ", "_")


def read_table(file_name: str, data: bytes) -> list[Row]:
    if len(data) > MAX_BYTES:
        raise FileError(_("The file is larger than 10 MB. Please split it."))
    if file_name.lower().endswith(".xlsx"):
        records = xlsx_rows(data)
    elif file_name.lower().endswith((".csv", ".txt")):
        records = _csv_rows(data)
    else:
        raise FileError(_("Please upload a CSV or an Excel (.xlsx) file."))
    headers: list[str] | None = None
    text_left = MAX_TEXT_CHARS
    result = []
    for line, record in enumerate(records, start=1):
        cells = [_cell(value) for value in record]
        if not any(cell.strip() for cell in cells):
            if headers is None:
                headers = []
            continue
        if line > MAX_ROWS + 1:
            raise too_many_rows()
        if any(cells[MAX_COLUMNS:]):
            raise too_many_columns()
        cells = cells[:MAX_COLUMNS]
        if any(len(cell) > MAX_CELL_CHARS for cell in cells):
            raise too_long_value(line)
        text_left -= sum(map(len, cells))
        if text_left < 0:
            raise too_much_text()
        if headers is None:
            headers = [_header(name) for name in _without_trailing_blanks(cells)]
            continue
        result.append(_row(line, headers, cells))
    if headers is None:
        raise FileError(_("The file is empty."))
    return result


def _row(line: int, headers: list[str], cells: list[str]) -> Row:
    values = {name: cell.strip() for name, cell in zip(headers, cells, strict=False)}
    row = Row(line, values)
    if len(cells) < len(headers):
        missing = ", ".join(headers[len(cells) :])
        row.errors.append(_("This row has no value for: %(columns)s.") % {"columns": missing})
    if any(NOT_UTF8.search(value) for value in values.values()):
        row.errors.append(
            _("This row is not in UTF-8. Save the file as “CSV UTF-8” and upload it again.")
        )
    return row


def _without_trailing_blanks(cells: list[str]) -> list[str]:
    while cells and not cells[-1].strip():
        cells = cells[:-1]
    return cells


def _csv_rows(data: bytes) -> Iterator[list[str]]:
    text = data.decode("utf-8-sig", errors="surrogateescape")
    first_line = text.split("\n", 1)[0]
    # Spreadsheets in Germany save CSV with semicolons; elsewhere with commas.
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    lines = _BoundedLines(io.StringIO(text))
    reader = csv.reader(lines, delimiter=delimiter)
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise FileError(
                _("Row %(row)s cannot be read. Please check its quotation marks.")
                % {"row": reader.line_num}
            ) from error
        lines.record_done()
        yield record


class _BoundedLines:
    """Hands the CSV reader one line at a time, refusing a line or record that is too long,
    so that no single row can grow past what a table of MAX_COLUMNS columns holds."""

    def __init__(self, source: io.StringIO) -> None:
        self.source = source
        self.records = self.lines_in_record = 0

    def __iter__(self) -> "_BoundedLines":
        return self

    def __next__(self) -> str:
        line = self.source.readline(MAX_LINE_CHARS + 1)
        if not line:
            raise StopIteration
        self.lines_in_record += 1
        if len(line) > MAX_LINE_CHARS or self.lines_in_record > MAX_LINES_PER_RECORD:
            raise FileError(
                _("Row %(row)s is too long for a table of at most %(columns)s columns.")
                % {"row": self.records + 1, "columns": MAX_COLUMNS}
            )
        return line

    def record_done(self) -> None:
        self.records += 1
        self.lines_in_record = 0


def _cell(value: object) -> str:
    if value is None:
        return ""
    if hasattr(value, "date") and hasattr(value, "hour"):
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
