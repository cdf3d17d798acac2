"""Facts the database keeps beside the records (a plan's category spans, a conference's meeting
type): installing the SQL that keeps them, after every migrate.

Each kept fact has its rule's SQL in ``rules/`` (a refresh function and the triggers that call
it). Installing it is the same for all of them: replace the function and triggers, and when what
was installed differs from this code (the first migrate, or a changed rule), work every fact out
afresh in the same transaction, so the facts always follow the rule that keeps them. The digest
of the installed SQL is kept as the refresh function's comment.
"""

import hashlib
from collections.abc import Callable, Sequence

from django.db import connections, transaction


def install(
    *,
    using: str,
    signature: str,
    installation: Sequence[str],
    in_place: Callable,
    removal: Sequence[str],
    refresh_all: Callable[..., int],
) -> None:
    """Install ``installation`` (SQL statements; ``signature`` names its refresh function, as
    ``name(bigint[])``) and refresh every fact with ``refresh_all`` if it changed. Migrated back
    before what the facts live in exists (``in_place(connection, cursor)`` is false), run
    ``removal`` instead, so no trigger is left calling a function about a missing table."""
    connection = connections[using]
    digest = hashlib.sha256("\n".join(installation).encode()).hexdigest()
    with transaction.atomic(using=using), connection.cursor() as cursor:
        if not in_place(connection, cursor):
            for statement in removal:
                cursor.execute(statement)
            return
        cursor.execute("SELECT obj_description(to_regprocedure(%s), 'pg_proc')", [signature])
        installed = cursor.fetchone()[0]
        for statement in installation:
            cursor.execute(statement)
        if installed != digest:
            refresh_all(using=using)
            cursor.execute(f"COMMENT ON FUNCTION {signature} IS '{digest}'")
