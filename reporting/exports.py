"""Tables as CSV, one shape for the download and for export_tables: a row per table row, the
table's columns after it (Q1 to Q4 and Year for quarterly tables), counts as plain integers
and percentages to one decimal place."""

import csv

from .figures import Table


def header(table: Table) -> list[str]:
    return ["row", *["Year" if column.key == "year" else column.label for column in table.columns]]


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    """Text a spreadsheet will show, not run: names typed by users (agencies, teams, workers)
    could otherwise start a formula when the CSV is opened (CSV injection)."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def write_csv(table: Table, out) -> None:
    writer = csv.writer(out)
    writer.writerow(header(table))
    for row in table.rows:
        cells = ["" if cell is None else cell for cell in row.cells]
        writer.writerow([spreadsheet_safe(row.label), *cells])
