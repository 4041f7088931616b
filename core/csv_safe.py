"""The one CSV writer Rapport uses: cells that a spreadsheet would run as a formula are escaped.

A cell starting with =, +, -, @, a tab or a carriage return is a formula (or turns into one) in
Excel, LibreOffice and Google Sheets, so a rejected row holding `=cmd|' /C calc'!A0` would run
when a colleague opens the download. Such cells get a leading apostrophe (OWASP's advice), which
spreadsheets show as text; a cell that already starts with one is left as it is, so rewriting a
file Rapport wrote changes nothing.
"""

import csv
import io
from collections.abc import Iterable, Iterator

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell_escape(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class SafeWriter:
    """`csv.writer` with every cell escaped; the same `writerow`/`writerows`."""

    def __init__(self, handle, **options):
        self._writer = csv.writer(handle, **options)

    def writerow(self, row) -> None:
        self._writer.writerow([cell_escape(value) for value in row])

    def writerows(self, rows) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(handle, **options) -> SafeWriter:
    """A CSV writer on `handle` (options as for csv.writer) that escapes formula cells."""
    return SafeWriter(handle, **options)


def csv_stream(rows: Iterable, *, rows_per_chunk: int = 500, **options) -> Iterator[str]:
    """The rows as CSV text, a chunk of `rows_per_chunk` lines at a time: a streamed download holds
    one chunk in memory, never the whole file, whatever the number of rows (cells escaped as above)."""
    buffer = io.StringIO()
    writer = csv_writer(buffer, **options)
    for n, row in enumerate(rows, 1):
        writer.writerow(row)
        if n % rows_per_chunk == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()
