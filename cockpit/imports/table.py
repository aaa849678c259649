"""Rows out of an uploaded CSV or XLSX file, with what is wrong with the file or a row."""

import csv
import io
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl import load_workbook

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
# Bytes that are not UTF-8 survive decoding as these surrogates; a row holding one is refused.
NOT_UTF8 = re.compile("[\udc80-\udcff]")


class FileError(Exception):
    """The whole file cannot be read; the message says what to do about it."""


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
        rows = _xlsx_rows(data)
    elif file_name.lower().endswith((".csv", ".txt")):
        rows = _csv_rows(data)
    else:
        raise FileError(_("Please upload a CSV or an Excel (.xlsx) file."))
    if not rows:
        raise FileError(_("The file is empty."))
    headers = [_header(name) for name in rows[0]]
    result = []
    for line, cells in enumerate(rows[1:], start=2):
        if not any(str(cell or "").strip() for cell in cells):
            continue
        values = {
            name: str(cell).strip() if cell is not None else ""
            for name, cell in zip(headers, cells, strict=False)
        }
        row = Row(line, values)
        if len(cells) < len(headers):
            missing = ", ".join(headers[len(cells) :])
            row.errors.append(_("This row has no value for: %(columns)s.") % {"columns": missing})
        if any(NOT_UTF8.search(value) for value in values.values()):
            row.errors.append(
                _("This row is not in UTF-8. Save the file as “CSV UTF-8” and upload it again.")
            )
        result.append(row)
        if len(result) > MAX_ROWS:
            raise FileError(_("The file has more than 20,000 rows. Please split it."))
    return result


def _csv_rows(data: bytes) -> list[list[str]]:
    text = data.decode("utf-8-sig", errors="surrogateescape")
    first_line = text.split("\n", 1)[0]
    # Spreadsheets in Germany save CSV with semicolons; elsewhere with commas.
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    return [list(row) for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _xlsx_rows(data: bytes) -> list[list[object]]:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise FileError(_("This Excel file cannot be read. Is it really an .xlsx file?")) from error
    sheet = workbook.worksheets[0]
    rows = []
    for values in sheet.iter_rows(values_only=True):
        rows.append([_cell(value) for value in values])
    workbook.close()
    return rows


def _cell(value: object) -> str:
    if value is None:
        return ""
    if hasattr(value, "date") and hasattr(value, "hour"):
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
