"""Rows out of an Excel file, read so that memory follows what the file really holds.

An .xlsx file is a zip of XML parts, and both can lie: a 1.6 KB file whose sheet claims the
dimension A1:XFD1048576 made openpyxl pad every row to 16,384 cells and the worker run out of
memory. So the file is checked in two passes. First, without building anything, every part's
unpacked size is checked and every XML part is streamed through expat, refusing a sheet with
content beyond the row and column limits, an over-long cell, too many shared texts, or a DTD.
Only then does openpyxl read the first sheet, told the limits instead of the claimed dimension.
"""

import io
import zipfile
from collections.abc import Iterator
from xml.parsers import expat

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from cockpit.imports.limits import (
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_PARTS,
    MAX_ROWS,
    MAX_SHARED_TEXTS,
    MAX_UNPACKED_BYTES,
    MAX_WHOLE_PART_BYTES,
    FileError,
)

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
# expat joins namespace and local name with this separator.
ROW, CELL, VALUE, TEXT = (f"{MAIN} {name}" for name in ("row", "c", "v", "t"))
SHEET, SHARED_TEXT_TABLE, SHARED_TEXT = f"{MAIN} worksheet", f"{MAIN} sst", f"{MAIN} si"
# Parts with these roots are streamed by openpyxl; every other part is parsed whole.
STREAMED_ROOTS = {SHEET, SHARED_TEXT_TABLE}
# Excel's own widest sheet: a cell beyond it is not from a spreadsheet program.
EXCEL_COLUMNS = 16_384
CHUNK_BYTES = 64 * 1024


def unreadable() -> FileError:
    return FileError(_("This Excel file cannot be read. Is it really an .xlsx file?"))


def too_many_rows() -> FileError:
    return FileError(_("The file has more than 20,000 rows. Please split it."))


def too_many_columns() -> FileError:
    return FileError(
        _(
            "The file has values in more than %(count)s columns. "
            "Please remove the columns you do not import."
        )
        % {"count": MAX_COLUMNS}
    )


def too_long_value(line: int) -> FileError:
    return FileError(
        _("Row %(row)s has a value longer than %(count)s characters. Please shorten it.")
        % {"row": line, "count": number_format(MAX_CELL_CHARS, force_grouping=True)}
    )


def too_long_shared_value() -> FileError:
    return FileError(
        _("The file has a value longer than %(count)s characters. Please shorten it.")
        % {"count": number_format(MAX_CELL_CHARS, force_grouping=True)}
    )


def too_much_text() -> FileError:
    return FileError(_("The file holds more text than one import can check. Please split it."))


def xlsx_rows(data: bytes) -> Iterator[list[object]]:
    """The first sheet's rows from row 1, each MAX_COLUMNS values wide."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as error:
        raise unreadable() from error
    with archive:
        _check_parts(archive)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise unreadable() from error
    try:
        # The limits, not the sheet's claimed dimension, say how far openpyxl pads; the check
        # above has refused any value beyond them.
        rows = sheet.iter_rows(max_row=MAX_ROWS + 1, max_col=MAX_COLUMNS, values_only=True)
        while True:
            try:
                values = next(rows)
            except StopIteration:
                return
            except Exception as error:  # a damaged sheet fails only while it is read
                raise unreadable() from error
            yield list(values)
    finally:
        workbook.close()


def _check_parts(archive: zipfile.ZipFile) -> None:
    parts = archive.infolist()
    if len(parts) > MAX_PARTS:
        raise unreadable()
    # zipfile stops each part at its declared size, so the declared sizes bound what is read.
    if sum(part.file_size for part in parts) > MAX_UNPACKED_BYTES:
        raise FileError(
            _("The Excel file unpacks to more than %(size)s MB. Please split it.")
            % {"size": MAX_UNPACKED_BYTES // (1024 * 1024)}
        )
    for part in parts:
        if part.filename.endswith((".xml", ".rels")):
            _scan(archive, part)


def _scan(archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> None:
    scan = _PartScan()
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = scan.start
    parser.EndElementHandler = scan.end
    parser.CharacterDataHandler = scan.text
    # An .xlsx file never needs a DTD; refusing it shuts out entity expansion altogether.
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    try:
        with archive.open(part) as stream:
            read = 0
            while chunk := stream.read(CHUNK_BYTES):
                read += len(chunk)
                if read > MAX_WHOLE_PART_BYTES and scan.root not in STREAMED_ROOTS:
                    raise unreadable()
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    # RuntimeError: an encrypted part; NotImplementedError: an unknown compression method.
    except (
        expat.ExpatError,
        zipfile.BadZipFile,
        ValueError,
        EOFError,
        RuntimeError,
        NotImplementedError,
    ) as error:
        raise unreadable() from error


def _refuse(*args: object) -> None:
    raise unreadable()


class _PartScan:
    """Follows one XML part's rows and cells without keeping any of them."""

    def __init__(self) -> None:
        self.root: str | None = None
        self.row = self.column = self.cells_in_row = self.shared_texts = 0
        self.value_chars = 0
        self.in_cell = self.in_shared_text = self.in_value = False

    def start(self, name: str, attributes: dict[str, str]) -> None:
        if self.root is None:
            self.root = name
        if name == ROW:
            self.row = int(attributes["r"]) if "r" in attributes else self.row + 1
            self.column = self.cells_in_row = 0
        elif name == CELL:
            self.cells_in_row += 1
            reference = attributes.get("r")
            self.column = column_number(reference) if reference else self.column + 1
            if self.cells_in_row > EXCEL_COLUMNS or self.column > EXCEL_COLUMNS:
                raise unreadable()
            self.in_cell, self.value_chars = True, 0
        elif name in (VALUE, TEXT) and (self.in_cell or self.in_shared_text):
            self.in_value = True
        elif name == SHARED_TEXT:
            self.shared_texts += 1
            if self.shared_texts > MAX_SHARED_TEXTS:
                raise too_much_text()
            self.in_shared_text, self.value_chars = True, 0

    def text(self, data: str) -> None:
        if self.in_value:
            self.value_chars += len(data)
            if self.value_chars > MAX_CELL_CHARS:
                raise too_long_value(self.row) if self.in_cell else too_long_shared_value()

    def end(self, name: str) -> None:
        if name in (VALUE, TEXT):
            self.in_value = False
        elif name == SHARED_TEXT:
            self.in_shared_text = False
        elif name == CELL:
            self.in_cell = False
            if self.value_chars:
                if self.row > MAX_ROWS + 1:
                    raise too_many_rows()
                if self.column > MAX_COLUMNS:
                    raise too_many_columns()


def column_number(reference: str) -> int:
    """ "AB12" -> 28; anything that is not letters then digits is a damaged file."""
    letters = reference.rstrip("0123456789")
    if not letters or not letters.isascii() or not letters.isalpha() or len(letters) > 3:
        raise unreadable()
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - ord("A") + 1
    return number
