"""Benchmark the managers' dashboard: the 2014-15 demo history, then 10x and 100x of it.

Copies are made in SQL (INSERT ... SELECT with shifted keys), so the data keeps the demo's
shape. History triggers are disabled on the benchmark database only, to keep seeding quick.
"""

import statistics
import time

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, models, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from accounts.models import Role, User
from demo.history import load_history
from reporting.freshness import note_change
from rules.categories import refresh_all_plan_category_spans
from rules.meetings import refresh_all_meeting_types

COPIED = [
    "conferences.Family",
    "conferences.Child",
    "conferences.ChildProtectionPlan",
    "conferences.Conference",
    "conferences.ConferenceChild",
    "conferences.Invitation",
    "conferences.ConferenceRecord",
    "conferences.ChildDecision",
    "conferences.CoreGroupMeeting",
    "conferences.Challenge",
    "conferences.CusabMeeting",
    "conferences.FeedbackLink",
    "conferences.FeedbackResponse",
    "advocacy.Referral",
    "complaints.Complaint",
    "complaints.ComplaintStage",
    "complaints.Appeal",
    "complaints.AgencyDissent",
]
TARGET_MS = 300
ANNUAL_TARGET_SECONDS = 10
HISTORY_TARGET_SECONDS = 60  # make demo loads it before anyone can sign in
URL = "/reporting/dashboard/?year=2014"


class Command(BaseCommand):
    help = "Time the 2014-15 dashboard at the demo's size, 10x and 100x (bench database only)."

    def add_arguments(self, parser):
        parser.add_argument("--scales", default="1,10,100")

    def handle(self, *args, scales, **options):
        if "bench" not in settings.DATABASES["default"]["NAME"]:
            raise CommandError("Run this against a database whose name contains 'bench'.")
        self._triggers("DISABLE")
        started = time.perf_counter()
        load_history()
        history_seconds = time.perf_counter() - started
        originals = {label: self._max_pk(label) for label in COPIED}
        results, have = [], 1
        for scale in [int(part) for part in scales.split(",")]:
            for copy in range(have, scale):
                self._copy(copy, originals)
            have = max(have, scale)
            refresh_all_plan_category_spans()  # what the triggers, off, would have kept
            refresh_all_meeting_types()
            note_change()  # the copies ran with the triggers off
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # as autovacuum would after a load this size
            results.append((scale, *self._measure()))
            if scale == 1:
                annual_seconds = self._time_annual_report()
        self._triggers("ENABLE")
        self.stdout.write(
            f"\n{'scale':>6}{'conferences':>13}{'first view ms':>15}{'queries':>9}"
            f"{'later views ms':>16}{'queries':>9}"
        )
        for scale, conferences, cold, cold_queries, warm, warm_queries in results:
            self.stdout.write(
                f"{scale:>5}x{conferences:>13}{cold:>15.0f}{cold_queries:>9}"
                f"{warm:>16.0f}{warm_queries:>9}"
            )
        for position, what in ((3, "first"), (5, "later")):
            if len({result[position] for result in results}) != 1:
                raise CommandError(
                    f"The dashboard's query count ({what} views) grew with the data."
                )
        verdict = "within" if history_seconds <= HISTORY_TARGET_SECONDS else "OVER"
        self.stdout.write(
            f"Demo history (2011-15) loaded in {history_seconds:.1f} s, {verdict} the "
            f"{HISTORY_TARGET_SECONDS} s target."
        )
        if results[0][0] == 1:
            verdict = "within" if annual_seconds <= ANNUAL_TARGET_SECONDS else "OVER"
            self.stdout.write(
                f"Annual report 2014-15 PDF at the demo's size: {annual_seconds:.1f} s, "
                f"{verdict} the {ANNUAL_TARGET_SECONDS} s target."
            )
        _scale, _conferences, cold, _, warm, _ = results[-1]
        verdict = "within" if warm <= TARGET_MS else "OVER"
        self.stdout.write(
            f"Largest: {warm:.0f} ms once counted ({verdict} the {TARGET_MS} ms target); the "
            f"first view after a change counts live in {cold:.0f} ms, which the warming task "
            "does ahead of the managers."
        )

    def _measure(self) -> tuple[int, float, int, float, int]:
        """The first view after a change (counted live), then the median of three later ones
        (the same records: the figures come from the cache)."""
        manager = User.objects.filter(roles__contains=[Role.MANAGER]).first() or (
            User.objects.create_user(
                "bench-manager@convene.invalid", full_name="Bench", roles=[Role.MANAGER]
            )
        )
        client = Client()
        client.force_login(manager)
        timings, queries = [], []
        with override_settings(MFA_REQUIRED=False, ALLOWED_HOSTS=["testserver"]):
            client.get(URL)  # sessions, templates and connections warmed up, not measured
            note_change()  # so the first measured view counts live
            for _ in range(4):
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    response = client.get(URL)
                    timings.append((time.perf_counter() - started) * 1000)
                queries.append(len(captured))
                if response.status_code != 200:
                    raise CommandError(f"dashboard answered {response.status_code}")
        conferences = apps.get_model("conferences.Conference").objects.count()
        later = statistics.median(timings[1:])
        return conferences, timings[0], queries[0], later, queries[-1]

    def _time_annual_report(self) -> float:
        from reporting.annual import services as annual_services

        author = User.objects.filter(roles__contains=[Role.MANAGER]).first()
        report = annual_services.create_report(actor=author, year=2014)
        note_change()  # counted live, as when the records have just changed
        generation = annual_services.request_generation(actor=author, report=report)
        started = time.perf_counter()
        annual_services.generate(generation.pk)  # in this process: the task's own work
        return time.perf_counter() - started

    def _max_pk(self, label: str) -> int:
        model = apps.get_model(label)
        return model.objects.aggregate(top=models.Max("pk"))["top"] or 0

    @transaction.atomic
    def _copy(self, copy: int, originals: dict[str, int]) -> None:
        for label in COPIED:
            model = apps.get_model(label)
            columns, values = [], []
            for field in model._meta.concrete_fields:
                columns.append(connection.ops.quote_name(field.column))
                values.append(self._shifted(field, copy, originals))
            table = connection.ops.quote_name(model._meta.db_table)
            with connection.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608
                    f"SELECT {', '.join(values)} FROM {table} WHERE id <= %s",
                    [originals[label]],
                )
                top = f"(SELECT max(id) FROM {table})"  # noqa: S608
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence(%s, 'id'), {top})",
                    [model._meta.db_table],
                )

    def _shifted(self, field, copy: int, originals: dict[str, int]) -> str:
        column = connection.ops.quote_name(field.column)
        if field.primary_key:
            return f"{column} + {copy * originals[field.model._meta.label]}"
        if field.is_relation:
            target = field.related_model._meta.label
            if target in originals:
                return f"{column} + {copy * originals[target]}"
            return column
        if field.unique and isinstance(field, models.CharField):
            return f"left({column}, {field.max_length - 6}) || '~{copy:05d}'"
        return column

    def _triggers(self, state: str) -> None:
        with connection.cursor() as cursor:
            for label in COPIED:
                table = connection.ops.quote_name(apps.get_model(label)._meta.db_table)
                cursor.execute(f"ALTER TABLE {table} {state} TRIGGER USER")
