"""When the family and the chair received the social work report (Table 6, 5.2.2, 5.2.3)."""

from django.db.models import F

from reporting.figures.base import Figure, Row, share, total_row
from reporting.figures.sql import held_conferences, held_in, local_date
from rules.meetings import ReportReceipt as Receipt
from rules.meetings import report_receipt_sql
from rules.working_days import WorkingDayTable

RECEIPT_ROWS = [
    (Receipt.ON_THE_DAY.value, "On the day"),
    (Receipt.PREVIOUS_DAY.value, "The previous working day"),
    (Receipt.EARLIER.value, "Earlier"),
    (Receipt.NOT_RECEIVED.value, "Not received"),
    (Receipt.NOT_RECORDED.value, "Not recorded"),
]


class ReportReceipt(Figure):
    counts = "meetings"
    subject_model = "conferences.Conference"
    total_label = "Meetings held"
    who = "family"

    def rows(self, scope):
        return RECEIPT_ROWS

    def records(self, scope, column):
        held = local_date("starts_at")
        previous = WorkingDayTable(column.start, column.end).previous_working_day(held)
        return (
            held_conferences(scope, column)
            .annotate(held_day=held, previous_day=previous)
            .annotate(
                row=report_receipt_sql(self.who, F("held_day"), F("previous_day")),
                subject=F("pk"),
            )
        )

    def in_column(self, column):
        # The working-day table over all the columns answers as each column's own for the
        # days in it: a day's previous working day does not depend on where the table starts.
        return held_in(column.start, column.end)

    def derived_rows(self, table):
        total = total_row(table, self.total_label)
        shares = [
            Row(
                f"{row.key}_share",
                f"{row.label}, %",
                [share(n, all_) for n, all_ in zip(row.cells, total.cells, strict=True)],
            )
            for row in table.rows
        ]
        return [total, *shares]


class ReportToFamily(ReportReceipt):
    slug = "report-to-family"
    title = "When the family received the social work report (Table 6)"
    definition = (
        "Meetings held in the period, by when the family received the social work report: on "
        "the day of the conference (or later), the previous working day, earlier, not "
        "received, or not recorded. Shares are of the meetings held in the period; weekends, "
        "bank holidays and closure days are not working days."
    )


class ReportToChair(ReportReceipt):
    slug = "report-to-chair"
    title = "When the chair received the social work report"
    who = "chair"
    definition = (
        "Meetings held in the period, by when the chair (IRO) received the social work report, "
        "as for the family; 'Not recorded' is how often the receipt was not recorded at all."
    )
