"""What each kind of prepared export is: who may ask, how its file is made, what it is called.

Each builder writes its file to ``out`` as it reads the records, a batch at a time, and says how
far it has got through ``progress(percent, step)`` as it goes: the worker's progress is what the
person waiting sees. A builder returns how many records (children, plans) the file holds.
"""

import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import BinaryIO

from django.urls import reverse
from django.utils.http import urlencode

from accounts.models import User
from reporting.prepared.models import ExportKind
from rules.periods import Period
from statutory import annex_a
from statutory.census_checks import write_checks
from statutory.census_data import BATCH, children_in_batches, children_with_activity
from statutory.census_export import write_xml
from statutory.models import ReturnKind
from statutory.services import can_export, record_statutory_download

Progress = Callable[[int, str], None]
# Writing the records takes the bar from START to END; counting them and saving the file share
# what is left. The bar moves about every twentieth of the records, and at least every batch.
START, END, STEPS = 5, 95, 20


@dataclass(frozen=True)
class Kind:
    may_ask: Callable[[User], bool]
    build: Callable[[dict, BinaryIO, Progress], int]
    file_name: Callable[[dict], str]
    content_type: str
    # Called as the file is handed over (the statutory returns record each disclosure).
    handed_over: Callable[[User, "object"], None]
    # Where the progress page sends the user once it is done, and what the link says: the file
    # itself unless the product is shown on a page (the census checks, on the returns page).
    shown_at: Callable[[dict], str] | None = None
    done_label: str = "Download the file"


def as_they_go(
    items: Iterable, total: int, noun: str, progress: Progress, *, verb: str = "Written"
) -> Iterator:
    """The items unchanged, telling ``progress`` how many have passed as they pass."""
    every = max(1, min(BATCH, -(-total // STEPS)))
    for done, item in enumerate(items, start=1):
        yield item
        if done % every == 0 or done == total:
            percent = START + (END - START) * done // max(total, 1)
            progress(percent, f"{verb} {done:,} of {total:,} {noun}")


def _census(parameters: dict, out: BinaryIO, progress: Progress) -> int:
    period, la = Period(parameters["year"]), parameters["la"]
    progress(2, "Finding the children with child protection activity")
    total = children_with_activity(period).count()
    children = as_they_go(children_in_batches(period), total, "children", progress)
    return write_xml(period, la, children, out)


def _census_checks(parameters: dict, out: BinaryIO, progress: Progress) -> int:
    period = Period(parameters["year"])
    progress(2, "Finding the children with child protection activity")
    total = children_with_activity(period).count()
    children = as_they_go(children_in_batches(period), total, "children", progress, verb="Checked")
    return write_checks(children, out)


def _returns_page(parameters: dict) -> str:
    query = urlencode({"year": parameters["year"], "la": parameters["la"]})
    return f"{reverse('reporting:statutory_returns')}?{query}#census-checks"


def _nothing_disclosed(actor: User, export) -> None:
    # The checks name local case ids only, to the manager who may export the census itself.
    pass


def _range(parameters: dict) -> tuple[date, date]:
    return date.fromisoformat(parameters["start"]), date.fromisoformat(parameters["end"])


def _annex_a(write: Callable[[Iterable[list], BinaryIO], None]):
    def build(parameters: dict, out: BinaryIO, progress: Progress) -> int:
        start, end = _range(parameters)
        progress(2, "Finding the plans open in the range")
        total = annex_a.count(start, end)
        write(as_they_go(annex_a.rows_as_read(start, end), total, "plans", progress), out)
        return total

    return build


def _annex_a_csv(plan_rows: Iterable[list], out: BinaryIO) -> None:
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    annex_a.write_csv(plan_rows, text)
    text.detach()  # leave ``out`` open for the service to save


def _statutory_record(kind: ReturnKind, period: Callable[[dict], tuple[date, date]]):
    def record(actor: User, export) -> None:
        start, end = period(export.parameters)
        record_statutory_download(
            actor=actor, kind=kind, period_start=start, period_end=end, records=export.records
        )

    return record


def _census_period(parameters: dict) -> tuple[date, date]:
    period = Period(parameters["year"])
    return period.start, period.end


def _annex_a_name(fmt: str) -> Callable[[dict], str]:
    return lambda p: f"annex-a-list-7-{p['start']}-{p['end']}.{fmt}"


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

KINDS: dict[str, Kind] = {
    ExportKind.CIN_CENSUS: Kind(
        may_ask=can_export,
        build=_census,
        file_name=lambda p: f"cin-census-{p['la']}-{p['year'] + 1}.xml",
        content_type="application/xml",
        handed_over=_statutory_record(ReturnKind.CIN_CENSUS, _census_period),
    ),
    ExportKind.ANNEX_A_CSV: Kind(
        may_ask=can_export,
        build=_annex_a(_annex_a_csv),
        file_name=_annex_a_name("csv"),
        content_type="text/csv; charset=utf-8",
        handed_over=_statutory_record(ReturnKind.ANNEX_A_CSV, _range),
    ),
    ExportKind.ANNEX_A_XLSX: Kind(
        may_ask=can_export,
        build=_annex_a(annex_a.write_xlsx),
        file_name=_annex_a_name("xlsx"),
        content_type=XLSX,
        handed_over=_statutory_record(ReturnKind.ANNEX_A_XLSX, _range),
    ),
    ExportKind.CENSUS_CHECKS: Kind(
        may_ask=can_export,
        build=_census_checks,
        file_name=lambda p: f"cin-census-checks-{p['la']}-{p['year'] + 1}.jsonl",
        content_type="application/x-ndjson",
        handed_over=_nothing_disclosed,
        shown_at=_returns_page,
        done_label="See the problems found",
    ),
}


def may_ask(user: User, kind: str) -> bool:
    """Whether the user may ask for (and still download) an export of this kind."""
    return KINDS[kind].may_ask(user)
