"""The whole dashboard as one XLSX workbook: a sheet per table, counts as numbers."""

from config.spreadsheets import workbook
from reporting.figures import Table

SHEET_NAME_LIMIT = 31  # Excel's limit


def write(tables: list[Table], out, *, title: str) -> None:
    book = workbook()
    contents = book.add_sheet("Contents")
    contents.append_header([title])
    contents.append(["Sheet", "Table", "Counts", "Definition"])
    for number, table in enumerate(tables, start=1):
        name = f"{number:02d} {table.slug}"[:SHEET_NAME_LIMIT]
        contents.append([name, table.title, table.counts, table.definition])
        sheet = book.add_sheet(name)
        sheet.column_width("A", 48)
        sheet.append_header([table.title])
        sheet.append(["", *[column.label for column in table.columns]])
        for row in table.rows:
            sheet.append([row.label, *row.cells])
    book.save(out)
