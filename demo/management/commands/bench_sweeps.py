"""Benchmark the chasing sweeps: seed upcoming conferences, then time each sweep and count its
queries at two data sizes (the count must not grow with the data)."""

import random
import time
from datetime import datetime, timedelta
from datetime import time as clock

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Role, User
from conferences import sweeps
from conferences.choices import AgencyKind, ConferenceStatus, Stage
from conferences.models import (
    Agency,
    Child,
    ChildProtectionPlan,
    Conference,
    ConferenceChild,
    Family,
    Invitation,
    Notification,
    Professional,
    Venue,
)

BATCH = 5_000


class Command(BaseCommand):
    help = "Seed N upcoming conferences into an empty database and time each sweep."

    def add_arguments(self, parser):
        parser.add_argument("--conferences", type=int, default=200_000)

    def handle(self, *args, conferences, **options):
        if "bench" not in settings.DATABASES["default"]["NAME"]:
            raise CommandError("Run this against a database whose name contains 'bench'.")
        random.seed(2026)
        first = conferences // 10
        self._seed(first)
        small = self._measure()
        self._seed(conferences - first)
        large = self._measure()
        self.stdout.write(f"\n{'sweep':<26}{'seconds':>10}{'queries':>10}{'queries at 10%':>16}")
        for name, (seconds, queries) in large.items():
            self.stdout.write(f"{name:<26}{seconds:>10.2f}{queries:>10}{small[name][1]:>16}")
        slow = [name for name, (seconds, _) in large.items() if seconds > 2]
        grew = [name for name in large if large[name][1] != small[name][1]]
        self.stdout.write(f"\n{Conference.objects.count()} conferences seeded.")
        if slow or grew:
            raise CommandError(f"over 2 seconds: {slow}; query count grew: {grew}")
        self.stdout.write(
            "Every sweep under 2 seconds, with a query count independent of the data."
        )

    def _measure(self) -> dict:
        results = {}
        for name, sweep in sweeps.SWEEPS.items():
            with transaction.atomic():
                started = time.perf_counter()
                with CaptureQueriesContext(connection) as captured:
                    sweep()
                results[name] = (time.perf_counter() - started, len(captured))
                transaction.set_rollback(True)  # measure the same work at both sizes
        return results

    def _seed(self, count: int) -> None:
        chair = User.objects.filter(
            email="bench-iro@convene.invalid"
        ).first() or User.objects.create_user(
            email="bench-iro@convene.invalid", full_name="Bench IRO", roles=[Role.IRO]
        )
        care, _ = Agency.objects.get_or_create(
            name="Bench CSC", kind=AgencyKind.CHILDRENS_SOCIAL_CARE
        )
        police, _ = Agency.objects.get_or_create(name="Bench police", kind=AgencyKind.POLICE)
        worker = Professional.objects.create(
            full_name="Bench worker", email="w@bench.invalid", agency=care
        )
        officer = Professional.objects.create(
            full_name="Bench officer", email="p@bench.invalid", agency=police
        )
        venues = [Venue.objects.get_or_create(name=f"Bench room {n}")[0] for n in range(50)]
        today = timezone.localdate()
        made = 0
        while made < count:
            size = min(BATCH, count - made)
            families = Family.objects.bulk_create(
                Family(name=f"Bench {made + n}") for n in range(size)
            )
            children = Child.objects.bulk_create(
                Child(
                    family=family,
                    local_case_id=f"B{family.pk:09d}",
                    last_name="Bench",
                    date_of_birth=today - timedelta(days=2000),
                    social_worker=worker,
                    strategy_discussion_on=today - timedelta(days=5),
                )
                for family in families
            )
            ChildProtectionPlan.objects.bulk_create(
                ChildProtectionPlan(
                    child=child, started_on=today - timedelta(days=random.randint(20, 170))
                )
                for child in children[::2]
            )
            rows = Conference.objects.bulk_create(
                Conference(
                    family=family,
                    starts_at=timezone.make_aware(
                        datetime.combine(
                            today + timedelta(days=random.randint(0, 720)), clock(9 + n % 8)
                        )
                    ),
                    venue=venues[n % len(venues)],
                    chair=chair,
                    booked_by=chair,
                    status=ConferenceStatus.BOOKED,
                )
                for n, family in enumerate(families)
            )
            ConferenceChild.objects.bulk_create(
                ConferenceChild(conference=conference, child=child, stage=Stage.REVIEW)
                for conference, child in zip(rows, children, strict=True)
            )
            Invitation.objects.bulk_create(
                Invitation(conference=conference, professional=officer) for conference in rows
            )
            made += size
        Notification.objects.all().delete()
