"""Many rows in a few statements (config.bulk), and bulk writes checked as they go."""

from datetime import date

import pghistory.models
import pytest
from django.db import DataError, IntegrityError, connection
from django.forms.models import model_to_dict

from conferences.models import Child, ChildProtectionPlan, Family
from config.bulk import _array_literal, insert_all, update_all
from config.services import audited_write

pytestmark = pytest.mark.django_db


def _children(families, **values):
    return [
        Child(
            family=family,
            local_case_id=f"BULK{number}",
            last_name=f'O"Brien, {number}',
            date_of_birth=date(2012, 1, 2),
            **values,
        )
        for number, family in enumerate(families)
    ]


def test_inserted_rows_read_back_as_the_orm_would_have_saved_them():
    families = [Family(name=f"Bulk family {n}") for n in range(3)]
    by_orm = Family.objects.create(name="Saved one by one")
    with audited_write(None, "bulk_test"):
        insert_all(Family, families)
        children = _children(families, disabilities=["HAND", "VIS"])
        insert_all(Child, children)
        plans = [
            ChildProtectionPlan(
                child=child,
                started_on=date(2015, 5, 1),
                categories=["NEG", "PHY"],
                imported_review_dates=[date(2015, 8, 1), date(2016, 2, 1)],
            )
            for child in children
        ]
        insert_all(ChildProtectionPlan, plans)

    assert [family.pk for family in families] == sorted(family.pk for family in families)
    assert families[0].pk > by_orm.pk
    for family in families:
        saved = Family.objects.get(pk=family.pk)
        assert saved.name == family.name
        # Defaults and auto_now_add come from the model, as bulk_create's would.
        assert saved.version == by_orm.version
        assert saved.created_at is not None
    for child in children:
        saved = Child.objects.get(pk=child.pk)
        assert model_to_dict(saved) == model_to_dict(child)
        assert saved.disabilities == ["HAND", "VIS"]
    for plan in plans:
        saved = ChildProtectionPlan.objects.get(pk=plan.pk)
        assert saved.categories == ["NEG", "PHY"]
        assert saved.imported_review_dates == [date(2015, 8, 1), date(2016, 2, 1)]


@pytest.mark.parametrize(
    "values", [[], [None], ["plain"], ['"quoted", with comma', "back\\slash", "{braces}", "NULL"]]
)
def test_an_array_reaches_postgresql_as_it_was(values):
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::text[]", [_array_literal(values)])
        assert cursor.fetchone()[0] == values


@pytest.mark.parametrize(
    "too_long", [{"first_language": "x" * 51}, {"disabilities": ["TOOLONG"]}], ids=str
)
def test_a_value_too_long_for_its_column_is_refused_not_cut_short(too_long):
    families = [Family(name="Bulk")]
    Family.objects.bulk_create(families)
    children = _children(families, **too_long)
    with pytest.raises(DataError, match="too long"):
        insert_all(Child, children)


def test_each_inserted_row_has_its_history_row_naming_the_write():
    families = [Family(name=f"Audited {n}") for n in range(2)]
    with audited_write(None, "bulk_test", source="command"):
        insert_all(Family, families)

    for family in families:
        event = pghistory.models.Events.objects.get(
            pgh_obj_model="conferences.Family", pgh_obj_id=family.pk
        )
        assert event.pgh_label == "insert"
        assert event.pgh_context["action"] == "bulk_test"
        assert event.pgh_context["source"] == "command"


def test_a_later_ordinary_save_takes_the_next_key():
    families = [Family(name="Bulk")]
    with audited_write(None, "bulk_test"):
        insert_all(Family, families)
    assert Family.objects.create(name="After").pk > families[0].pk


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("bulk", [True, False])
def test_a_bulk_write_is_refused_at_the_statement_not_at_commit(bulk):
    """Foreign keys are checked as each statement of a bulk write ends (see audited_write):
    a child pointing at no family is refused by the insert itself."""
    orphan = Child(
        family_id=10**9, local_case_id="ORPHAN", last_name="X", date_of_birth=date(2012, 1, 2)
    )
    refused_at = None
    try:
        with audited_write(None, "bulk_test", bulk=bulk):
            try:
                insert_all(Child, [orphan])
            except IntegrityError:
                refused_at = "statement"
                raise
    except IntegrityError:
        refused_at = refused_at or "commit"
    assert refused_at == ("statement" if bulk else "commit")
    assert not Child.objects.filter(local_case_id="ORPHAN").exists()
    assert connection.in_atomic_block is False


def test_update_all_writes_each_row_at_the_version_it_was_read_and_bumps_it():
    families = [Family.objects.create(name=f"Before {n}") for n in range(3)]
    for family in families:
        family.name = family.name.replace("Before", "After")
    with audited_write(None, "bulk_test"):
        assert update_all(Family, families, ["name"]) == 3

    for family in families:
        saved = Family.objects.get(pk=family.pk)
        assert saved.name == family.name
        assert saved.version == family.version == 2
    events = pghistory.models.Events.objects.filter(
        pgh_obj_model="conferences.Family", pgh_label="update"
    )
    assert {event.pgh_context["action"] for event in events} == {"bulk_test"}


def test_update_all_leaves_a_row_someone_else_saved_since_it_was_read():
    families = [Family.objects.create(name=f"Read {n}") for n in range(2)]
    Family.objects.filter(pk=families[1].pk).update(name="Theirs", version=2)
    for family in families:
        family.name = "Mine"

    assert update_all(Family, families, ["name"]) == 1
    assert Family.objects.get(pk=families[1].pk).name == "Theirs"
    assert families[0].version == 1  # the caller refuses the whole write: versions stay
