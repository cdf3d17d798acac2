"""The only place Convene writes CSV or XLSX: every cell passes the formula guard on the way out.

Names, reasons and labels typed by users (teams, agencies, challenge reasons, "credited to") end
up in downloads; a cell starting with ``= + - @``, a tab or a carriage return would be run as a
formula when the file is opened in a spreadsheet (CSV injection). Such text is written with a
leading apostrophe, so it is shown, not run. Numbers and dates stay numbers and dates.
A test fails if any other module writes CSV or XLSX itself.
"""

import csv
import io
from datetime import date, datetime
from decimal import Decimal

import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

_NUMBERS = (int, float, Decimal)


def guarded(text: str) -> str:
    """Text a spreadsheet will show, not run."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _is_number(value) -> bool:
    return isinstance(value, _NUMBERS) and not isinstance(value, bool)


def _csv_cell(value):
    if value is None:
        return ""
    if _is_number(value):
        return value
    if isinstance(value, date):  # datetimes too
        return value.isoformat()
    return guarded(str(value))


class CsvWriter:
    """Rows out as CSV, each cell guarded; dates as yyyy-mm-dd, blanks as empty cells."""

    def __init__(self, out) -> None:
        self._writer = csv.writer(out)

    def writerow(self, row) -> None:
        self._writer.writerow([_csv_cell(value) for value in row])

    def writerows(self, rows) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(out) -> CsvWriter:
    """A CSV writer over a file, a response or a StringIO."""
    return CsvWriter(out)


def _xlsx_cell(value):
    if value is None or value == "":
        return None
    if _is_number(value) or isinstance(value, (date, datetime)):
        return value
    # Control characters XLSX cannot hold would fail the whole download: leave them out.
    return guarded(ILLEGAL_CHARACTERS_RE.sub("", str(value)))


class Sheet:
    """One worksheet that takes whole rows only, through the guard. Rows go straight to the
    file as they are appended (see ``SpreadsheetBook``), so the layout (frozen header, column
    widths) is set before the first row."""

    def __init__(self, sheet) -> None:
        self._sheet = sheet

    def append(self, row) -> None:
        self._sheet.append([_xlsx_cell(value) for value in row])

    def append_header(self, row) -> None:
        """A row in bold: a title or the columns' names."""
        cells = []
        for value in row:
            cell = WriteOnlyCell(self._sheet, _xlsx_cell(value))
            cell.font = Font(bold=True)
            cells.append(cell)
        self._sheet.append(cells)

    def freeze_header(self) -> None:
        self._sheet.freeze_panes = "A2"

    def column_width(self, letter: str, width: int) -> None:
        self._sheet.column_dimensions[letter].width = width


class SpreadsheetBook:
    """An XLSX workbook whose sheets are all ``Sheet``s. Written as it goes (openpyxl's
    write-only mode): each row is streamed to a temporary file rather than kept as cell objects,
    so a national Annex A takes the same memory as a small one."""

    def __init__(self) -> None:
        self._book = openpyxl.Workbook(write_only=True)

    def add_sheet(self, title: str) -> Sheet:
        return Sheet(self._book.create_sheet(title))

    def save(self, out) -> None:
        self._book.save(out)

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        self._book.save(out)
        return out.getvalue()


def workbook() -> SpreadsheetBook:
    return SpreadsheetBook()
