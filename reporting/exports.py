"""Tables as CSV, one shape for the download and for export_tables: a row per table row, the
table's columns after it (Q1 to Q4 and Year for quarterly tables), counts as plain integers
and percentages to one decimal place."""

from config.spreadsheets import csv_writer
from reporting.figures import Table


def header(table: Table) -> list[str]:
    return ["row", *["Year" if column.key == "year" else column.label for column in table.columns]]


def write_csv(table: Table, out) -> None:
    writer = csv_writer(out)
    writer.writerow(header(table))
    for row in table.rows:
        writer.writerow([row.label, *row.cells])
