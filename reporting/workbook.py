"""The whole dashboard as one XLSX workbook: a sheet per table, counts as numbers."""

from openpyxl import Workbook
from openpyxl.styles import Font

from .exports import spreadsheet_safe
from .figures import Table

SHEET_NAME_LIMIT = 31  # Excel's limit


def write(tables: list[Table], out, *, title: str) -> None:
    book = Workbook()
    contents = book.active
    contents.title = "Contents"
    contents.append([title])
    contents["A1"].font = Font(bold=True)
    contents.append(["Sheet", "Table", "Counts", "Definition"])
    for number, table in enumerate(tables, start=1):
        name = f"{number:02d} {table.slug}"[:SHEET_NAME_LIMIT]
        contents.append([name, table.title, table.counts, table.definition])
        sheet = book.create_sheet(name)
        sheet.append([table.title])
        sheet["A1"].font = Font(bold=True)
        sheet.append(["", *[column.label for column in table.columns]])
        for row in table.rows:
            sheet.append([spreadsheet_safe(row.label), *row.cells])
        sheet.column_dimensions["A"].width = 48
    book.save(out)
