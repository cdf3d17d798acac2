"""Recording a statutory download goes through one audited service."""

from datetime import date

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied

from accounts.models import Role
from statutory.models import ReturnKind, StatutoryExport
from statutory.services import record_statutory_download
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
YEAR = {"period_start": date(2014, 4, 1), "period_end": date(2015, 3, 31)}


def _exporter():
    user = UserFactory(roles=[Role.MANAGER])
    user.user_permissions.add(Permission.objects.get(codename="export_statutory_returns"))
    return user


def test_a_download_is_recorded_with_who_what_and_the_audit_context():
    user = _exporter()

    export = record_statutory_download(actor=user, kind=ReturnKind.ANNEX_A_CSV, records=3, **YEAR)

    assert (export.kind, export.records, export.exported_by) == ("annex_a_csv", 3, user)
    event = export.events.get()
    assert event.pgh_context.metadata == {"user": user.pk, "action": "export_annex_a_csv"}


def test_someone_without_the_named_permission_is_not_recorded_as_exporting():
    with pytest.raises(PermissionDenied):
        record_statutory_download(
            actor=UserFactory(roles=[Role.MANAGER]), kind=ReturnKind.CIN_CENSUS, records=1, **YEAR
        )
    assert not StatutoryExport.objects.exists()


def test_a_period_ending_before_it_starts_is_refused():
    with pytest.raises(ValueError, match="cannot end before it starts"):
        record_statutory_download(
            actor=_exporter(),
            kind=ReturnKind.CIN_CENSUS,
            records=1,
            period_start=date(2015, 4, 1),
            period_end=date(2015, 3, 31),
        )
    assert not StatutoryExport.objects.exists()
