"""How much one import may hold, and the error that refuses a whole file.

Every limit is enforced while the file is read, before anything is built from it, so what a
file claims about itself (an Excel sheet's dimension, a zip member's size) never decides how
much memory the worker spends.
"""

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
# The widest template has eleven columns; room for a spreadsheet's own extra columns.
MAX_COLUMNS = 50
MAX_CELL_CHARS = 5_000
# All cells together: more than twice what 20,000 full rows of any template hold.
MAX_TEXT_CHARS = 20_000_000
# What an Excel file may unpack to. Sheets and their shared texts are read as a stream; every
# other part is parsed whole by openpyxl, so it gets a much smaller share.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_WHOLE_PART_BYTES = 5 * 1024 * 1024
MAX_PARTS = 500
# Texts stored once and referred to by cells; every one is loaded before the sheet is read.
MAX_SHARED_TEXTS = 500_000


class FileError(Exception):
    """The whole file cannot be read; the message says what to do about it."""
