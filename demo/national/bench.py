"""The national benchmark's measurements: the live dashboard (every table, and each filter), the
hand-written SQL for the same main figures, the slowest queries, the heavy pages, the census
export, Annex A and the annual report, each against issue 18's target.

Measurement only: nothing here changes what the app counts. The dashboard is measured on its
cold path: the cache is swapped for a dummy one (nothing kept, nothing found) and the change
log moved on before every run, so each run counts every table live from the records.
"""

import math
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta

from django.db import DatabaseError, connection
from django.db.models import Count, Q
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from accounts.models import Role, User
from conferences.models import (
    Child,
    ChildProtectionPlan,
    Conference,
    ConferenceChild,
    Family,
    Locality,
)
from demo.national import handwritten
from demo.national.reference import DOMAIN
from reporting.freshness import note_change
from reporting.prepared.models import ExportKind, PreparationStatus
from rules.periods import Period

# Issue 18's targets (at national scale, on this machine), in milliseconds; ratio unitless.
DASHBOARD_MS = 1000
FILTER_MS = 1000
RATIO = 1.0
PAGE_MS = 500
EXPORT_MS = 30_000  # the census export of a year; Annex A is held to the same
ANNUAL_MS = 10_000
NO_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
LA = "855"


@dataclass
class Line:
    """One measured thing: its runs in milliseconds, and its verdict against the target."""

    what: str
    year: str
    runs_ms: list[float] = field(default_factory=list)
    queries: int | None = None
    target: float | None = None
    unit: str = "ms"
    note: str = ""
    status: int | None = None

    @property
    def p50(self) -> float | None:
        return statistics.median(self.runs_ms) if self.runs_ms else None

    @property
    def p95(self) -> float | None:
        if not self.runs_ms:
            return None
        ordered = sorted(self.runs_ms)
        return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]  # nearest rank

    @property
    def verdict(self) -> str:
        if self.note.startswith("failed") or (self.status not in (None, 200)):
            return "ERROR"
        if self.target is None or self.p50 is None:
            return ""
        return "PASS" if self.p50 <= self.target else "MISS"

    def as_dict(self) -> dict:
        return asdict(self) | {"p50": self.p50, "p95": self.p95, "verdict": self.verdict}


class Bench:
    """Runs each measurement ``runs`` times, fewer once one item has taken ``budget`` seconds
    (a page that takes minutes at national scale is measured once, not five times); a single
    statement longer than ``budget`` is cancelled and reported as failed."""

    def __init__(self, *, runs: int, budget: float, out: Callable[[str], None] = print):
        self.runs, self.budget, self.out = runs, budget, out
        self.lines: list[Line] = []
        self.slowest: dict[str, list[dict]] = {}
        self.counts: dict[str, int] = {}
        self.load: dict = {}  # what load_national kept of its run, if it is at hand
        self.manager = User.objects.get(email=f"manager@{DOMAIN}")
        self.clerk = User.objects.filter(email__endswith=DOMAIN, roles__contains=[Role.CLERK])
        self.clerk = self.clerk.order_by("pk").first()

    def client(self, user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    def repeat(self, line: Line, once: Callable[[], tuple[int, int]], runs: int | None = None):
        """Time ``once`` (which returns its status and query count) up to ``runs`` times."""
        spent = 0.0
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('statement_timeout', %s, false)", [f"{self.budget}s"])
        try:
            for _ in range(runs or self.runs):
                started = time.perf_counter()
                try:
                    line.status, line.queries = once()
                except DatabaseError as error:
                    line.note = f"failed: {str(error).splitlines()[0][:80]}"
                    break
                elapsed = time.perf_counter() - started
                line.runs_ms.append(elapsed * 1000)
                spent += elapsed
                if spent >= self.budget:
                    line.note = (
                        line.note
                        or f"{len(line.runs_ms)} run(s): over the {self.budget:.0f} s budget"
                    )
                    break
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SET statement_timeout = 0")
        self.lines.append(line)
        self.out(self.format(line))
        return line

    # The dashboard, live.

    def dashboard(self, year: int) -> None:
        client, label = self.client(self.manager), Period(year).year_label
        locality = (
            Locality.objects.annotate(n=Count("child"))
            .order_by("-n", "pk")
            .values_list("pk", flat=True)
            .first()
        )
        chair = busiest_chair(year)
        scopes = [
            ("dashboard, all tables", {}, DASHBOARD_MS),
            ("dashboard, one locality", {"locality": locality}, FILTER_MS),
            ("dashboard, one chair", {"chair": chair}, FILTER_MS),
            ("dashboard, one quarter (Q4)", {"quarter": 4}, FILTER_MS),
        ]
        with override_settings(CACHES=NO_CACHE, MFA_REQUIRED=False, ALLOWED_HOSTS=["testserver"]):
            client.get("/reporting/dashboard/", {"year": year})  # connections and templates warm
            for what, extra, target in scopes:
                captured_runs = []

                def once(extra=extra, captured_runs=captured_runs):
                    note_change()  # whatever the app keeps, it is for records now out of date
                    with CaptureQueriesContext(connection) as captured:
                        response = client.get("/reporting/dashboard/", {"year": year, **extra})
                    captured_runs.append(list(captured.captured_queries))
                    return response.status_code, len(captured)

                self.repeat(Line(what, label, target=target), once)
                if not extra and captured_runs:
                    self.slowest[label] = slowest_queries(captured_runs[-1])

    def handwritten(self, year: int) -> Line:
        label = Period(year).year_label
        parts: dict[str, list[float]] = {}

        def once():
            for name, (ms, _rows) in handwritten.run_all(year).items():
                parts.setdefault(name, []).append(ms)
            return 200, len(handwritten.FIGURES)

        line = self.repeat(Line("hand-written SQL, same main figures", label), once)
        for name, times in parts.items():
            self.out(f"      {name:<52}{statistics.median(times):>10.0f} ms")
        return line

    def ratio(self, year: int, app: Line, hand: Line) -> None:
        line = Line("ratio dashboard / hand-written (p50)", Period(year).year_label, unit="x")
        line.target = RATIO
        if app.p50 and hand.p50:
            line.runs_ms = [app.p50 / hand.p50]
        self.lines.append(line)
        self.out(self.format(line))

    # Pages and exports, through the test client as the people who use them.

    def pages(self, years: list[int]) -> None:
        today = date.today()
        monday = today - timedelta(days=today.weekday())
        chair = busiest_chair(years[-1])
        child = (
            ConferenceChild.objects.values("child_id")
            .annotate(n=Count("id"))
            .order_by("-n", "child_id")
            .values_list("child_id", flat=True)
            .first()
        )
        family = Child.objects.filter(pk=child).values_list("family_id", flat=True).first()
        iro = User.objects.get(pk=chair) if chair else self.clerk
        surname = (
            Family.objects.values("name").annotate(n=Count("id")).order_by("-n", "name")
        ).first()["name"]
        pages = [
            ("clerk's tray", self.clerk, "/clerk/", {}),
            (
                "chair's week (busiest chair)",
                self.clerk,
                "/week/",
                {"chair": chair, "week": monday},
            ),
            ("child page (longest history)", self.clerk, f"/children/{child}/", {}),
            ("family page (longest history)", self.clerk, f"/families/{family}/", {}),
            ("IRO's conferences (busiest chair)", iro, "/my-conferences/", {}),
            ("search (commonest surname)", self.clerk, "/children/", {"q": surname}),
            ("notification log", self.clerk, "/notifications/", {}),
            ("audit trail", self.manager, "/reporting/audit/", {}),
        ]
        for year in years:
            pages += [
                ("data quality", self.manager, "/reporting/data-quality/", {"year": year}),
                (
                    "statutory checks (census)",
                    self.manager,
                    "/reporting/returns/",
                    {"year": year, "la": LA},
                ),
            ]
        with override_settings(MFA_REQUIRED=False, ALLOWED_HOSTS=["testserver"]):
            for what, user, url, query in pages:
                client = self.client(user)
                year = query.get("year")
                label = Period(year).year_label if year else "today"
                self.repeat(Line(what, label, target=PAGE_MS), self._get(client, url, query), 3)
            for year in years:
                label = Period(year).year_label
                annex = {"start": date(year, 4, 1).isoformat(), "end": date(year + 1, 3, 31)}
                annex["end"] = annex["end"].isoformat()
                for what, kind, parameters in [
                    ("census export (XML)", ExportKind.CIN_CENSUS, {"year": year, "la": LA}),
                    ("Annex A list 7 (CSV)", ExportKind.ANNEX_A_CSV, annex),
                    ("census checks (worker)", ExportKind.CENSUS_CHECKS, {"year": year, "la": LA}),
                ]:
                    self.repeat(
                        Line(what, label, target=EXPORT_MS), self._prepared(kind, parameters), 1
                    )

    def _prepared(self, kind, parameters: dict):
        """An export asked for and made, as the worker makes it (in this process), the file
        read back whole: what the person asking waits for."""
        from reporting.prepared import services as prepared

        def once():
            with CaptureQueriesContext(connection) as captured:
                export = prepared.request_export(
                    actor=self.manager, kind=kind, parameters=parameters
                )
                prepared.prepare(export.pk)
                export.refresh_from_db()
                if export.status == PreparationStatus.DONE:
                    with export.file.open("rb") as made:
                        while made.read(1 << 20):
                            pass
            return (200 if export.status == PreparationStatus.DONE else 500), len(captured)

        return once

    def annual_report(self, year: int) -> None:
        from reporting.annual import services as annual_services
        from reporting.annual.models import AnnualReport

        def once():
            # A year has one report: a second run of the benchmark on this database makes a new
            # generation of the one the first run created.
            report = AnnualReport.objects.filter(year=year).first()
            report = report or annual_services.create_report(actor=self.manager, year=year)
            note_change()  # counted live, as when the records have just changed
            generation = annual_services.request_generation(actor=self.manager, report=report)
            with override_settings(CACHES=NO_CACHE):
                annual_services.generate(generation.pk)  # in this process: the task's own work
            generation.refresh_from_db()
            return (200 if generation.status == "done" else 500), None

        self.repeat(Line("annual report PDF", Period(year).year_label, target=ANNUAL_MS), once, 1)

    def _get(self, client: Client, url: str, query: dict):
        def once():
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url, query)
                if response.streaming:  # the export's time is the time to read it all
                    for _part in response.streaming_content:
                        pass
            return response.status_code, len(captured)

        return once

    def census_of_data(self) -> None:
        self.counts = {
            "families": Family.objects.count(),
            "children": Child.objects.count(),
            "conferences": Conference.objects.count(),
            "held conferences": Conference.objects.filter(status="held").count(),
            "plans": ChildProtectionPlan.objects.count(),
        }

    # The report.

    @staticmethod
    def format(line: Line) -> str:
        def shown(value):
            if value is None:
                return "-"
            return f"{value:.2f}" if line.unit == "x" else f"{value:,.0f}"

        target = "-" if line.target is None else ("≤" + shown(line.target))
        queries = "-" if line.queries is None else str(line.queries)
        return (
            f"{line.what:<40}{line.year:>8}{shown(line.p50):>10}{shown(line.p95):>10}"
            f"{len(line.runs_ms):>5}{queries:>8}{target:>10}  {line.verdict:<5} {line.note}"
        )

    @staticmethod
    def header() -> str:
        return (
            f"{'measured':<40}{'year':>8}{'p50 ms':>10}{'p95 ms':>10}{'runs':>5}{'queries':>8}"
            f"{'target':>10}  verdict"
        )

    def as_dict(self) -> dict:
        return {
            "database": connection.settings_dict["NAME"],
            "measured_on": date.today().isoformat(),
            "counts": self.counts,
            "load": self.load,
            "runs": self.runs,
            "budget_seconds": self.budget,
            "lines": [line.as_dict() for line in self.lines],
            "slowest_queries": self.slowest,
        }


def busiest_chair(year: int) -> int | None:
    """The chair of the most held conferences in the year."""
    period = Period(year)
    return (
        Conference.objects.filter(
            Q(status="held"), starts_at__date__gte=period.start, starts_at__date__lte=period.end
        )
        .values("chair")
        .annotate(n=Count("id"))
        .order_by("-n", "chair")
        .values_list("chair", flat=True)
        .first()
    )


def slowest_queries(captured: list[dict], count: int = 10) -> list[dict]:
    ordered = sorted(captured, key=lambda query: float(query["time"]), reverse=True)
    return [
        {"ms": round(float(query["time"]) * 1000), "sql": " ".join(query["sql"].split())[:300]}
        for query in ordered[:count]
    ]
