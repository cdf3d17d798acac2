"""Every figure managers see, defined once and computed in the database from the records.

Each figure is a table: rows (what is counted) by columns (usually the quarters and the year).
The same definition that counts a cell also lists the records behind it, so a number and its
drill-down cannot disagree. Counts always include restricted records: a published figure must
not depend on who is looking. Only the lists behind the figures are scoped to the viewer.
"""

from reporting.figures.base import Figure, Scope, Table, cached_table, compute
from reporting.figures.registry import FIGURES, figure

__all__ = ["FIGURES", "Figure", "Scope", "Table", "cached_table", "compute", "figure"]
