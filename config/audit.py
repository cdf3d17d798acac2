"""How every domain model is audited: one decorator, so no model can be half-tracked."""

import pghistory
import pgtrigger
from django.db import DEFAULT_DB_ALIAS, connections, models


def audited(**options):
    """Track a model's inserts, updates and deletes in an append-only history table.

    pghistory tracks inserts and updates by default; deletes must be asked for, and we always
    want them, because "nothing lost" includes knowing what was removed and by whom. The trackers
    are made afresh for each model because pghistory binds them to the model's fields.

    Every event table is indexed in the audit trail's order (newest first, then by row), so a
    page of the trail reads its next rows from the index past where the last page ended.
    """
    meta = dict(options.pop("meta", {}))
    meta["indexes"] = [
        *meta.get("indexes", []),
        models.Index(fields=["-pgh_created_at", "-pgh_id"]),  # named by Django, per table
    ]
    return pghistory.track(
        pghistory.InsertEvent(),
        pghistory.UpdateEvent(),
        pghistory.DeleteEvent(),
        meta=meta,
        **options,
    )


# TRUNCATE empties a table without firing its row triggers, so the triggers that refuse UPDATE
# and DELETE on history and logs do not stop it; a statement-level trigger does, for everyone,
# the table's owner and superusers included. The function is created by a migration
# (accounts 0003); the triggers are (re)attached after every migrate, so a table made
# append-only later is guarded without anyone remembering to.
REFUSE_TRUNCATE = "convene_refuse_truncate"
TRUNCATE_GUARD = "convene_refuses_truncate"


def protected_operations() -> dict[str, set[str]]:
    """Each table with rows the database refuses to change, and what it refuses ("UPDATE",
    "DELETE"): pghistory's event tables (``PGHISTORY_APPEND_ONLY``) and the logs and copies
    that protect themselves with ``pgtrigger.Protect``. Conditional protections count too:
    TRUNCATE cannot ask the condition, so a table with any row it may not delete is guarded."""
    refused: dict[str, set[str]] = {}
    for model, trigger in pgtrigger.registered():
        if isinstance(trigger, pgtrigger.Protect) and str(trigger.level) == "ROW":
            operations = set(str(trigger.operation).split(" OR ")) & {"UPDATE", "DELETE"}
            if operations:
                refused.setdefault(model._meta.db_table, set()).update(operations)
    return refused


def append_only_tables() -> list[str]:
    """Tables whose rows may never be removed, so may never be truncated."""
    return sorted(table for table, refused in protected_operations().items() if "DELETE" in refused)


def install_truncate_guards(*, using: str = DEFAULT_DB_ALIAS, **_signal) -> None:
    """Attach the truncate-refusing trigger to every append-only table (idempotent; run after
    every migrate, as the tables' owner). Migrated back before the function exists, it does
    nothing: the migration's reversal drops the function and every guard with it."""
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regproc(%s) IS NOT NULL", [REFUSE_TRUNCATE])
        if not cursor.fetchone()[0]:
            return
        existing = set(connection.introspection.table_names(cursor))
        for table in append_only_tables():
            if table in existing:  # names from our own models, quoted
                cursor.execute(
                    f"CREATE OR REPLACE TRIGGER {TRUNCATE_GUARD} BEFORE TRUNCATE "
                    f"ON {connection.ops.quote_name(table)} "
                    f"FOR EACH STATEMENT EXECUTE FUNCTION {REFUSE_TRUNCATE}()"
                )
