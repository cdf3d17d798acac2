"""The demo loader fills every role's first pages and can run twice."""

from django.core.management import call_command

from accounts.models import User
from conferences.models import Child, Conference


def test_load_demo_creates_users_and_case_records_and_is_idempotent(db, settings):
    settings.DEMO_MODE = True
    call_command("load_demo")
    call_command("load_demo")
    assert User.objects.filter(email__endswith="@demo.convene.test").count() == 5
    assert Child.objects.filter(local_case_id__startswith="DEMO").count() == 4
    assert Conference.objects.count() == 1
