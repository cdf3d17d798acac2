"""The demo loader fills every role's first pages and can run twice."""

from datetime import date

from django.core.management import call_command

from accounts.models import User
from conferences.models import Child, ChildProtectionPlan, Conference


def test_load_demo_creates_users_and_case_records_and_is_idempotent(db, settings):
    settings.DEMO_MODE = True
    call_command("load_demo")
    counts = (Conference.objects.count(), ChildProtectionPlan.objects.count())
    call_command("load_demo")
    assert (Conference.objects.count(), ChildProtectionPlan.objects.count()) == counts
    assert User.objects.filter(email__endswith="@demo.convene.test").count() == 6
    assert Child.objects.filter(local_case_id__startswith="DEMO").count() == 4
    assert Conference.objects.filter(starts_at__date__gte=date(2016, 4, 1)).count() == 1
    # The 2011-15 history (its figures are checked in tests/reporting/test_demo_history.py),
    # with no plan from it left open today.
    assert Conference.objects.filter(starts_at__date__lt=date(2015, 4, 1)).count() > 4000
    history_open = ChildProtectionPlan.objects.filter(
        started_on__lt=date(2015, 4, 1), ended_on__isnull=True
    )
    assert not history_open.exists()
