"""A fingerprint of the records the figures count, which changes with every committed write.

Figures are computed from the records and never stored; but computing all of them takes
seconds on a large authority, so a computed table is kept in the cache under the fingerprint of
the data it was computed from (``reporting.figures.base``). The same data always gives the same
figures, so a table found under the current fingerprint is exactly what computing it now gives.

How the fingerprint works: a statement-level trigger on every table the figures may read adds
one row to ``reporting_datachange`` (keyed by the transaction id) on the transaction's first
counted statement, and on later ones only counts them in a transaction-local setting, so a
transaction writing a million rows writes one log row (updating the row at every statement
left a chain of versions that each later statement walked, and a long import slowed as it
went). The row becomes visible to others when, and only when, the transaction's records do.
The fingerprint is (generation, row count, highest id, this transaction's own count): between
compactions rows are only added, so every newly visible commit raises the count, even one that
took its id before a later transaction committed. The last part is 0 outside a writing
transaction, and inside one is its transaction id and statements so far, so the writer sees
its fingerprint move with each statement and no one else ever meets it (nor, after commit,
the writer itself). Each transaction writes only its own row, so writers never wait for each
other. ``compact`` removes rows of
finished transactions and moves the generation on (a sequence, never reused), so no
fingerprint from before a compaction can recur after it.

The triggers are (re)installed after every ``migrate`` (``install_triggers``), for every table
of the case-recording apps except those listed in ``NOT_COUNTED``: high-churn tables that no
figure reads (a test checks that no figure's SQL touches them).
"""

from django.apps import apps
from django.db import connection, transaction

APPS = ("accounts", "conferences", "advocacy", "complaints")
# Written all day (autosave, the outbox, the access log, the record's own content) and read by
# no figure: changes to them need not recompute the dashboard.
NOT_COUNTED = frozenset(
    {
        "accounts_securityevent",
        "conferences_notification",
        "conferences_recorddraft",
        "conferences_recordaccess",
        "conferences_safetyentry",
        "conferences_safetyscore",
        "conferences_planaction",
        "conferences_participant",
        "conferences_recordrelease",
        "conferences_recordamendment",
        "conferences_feedbacklink",
    }
)
# A sign-in updates the user's last_login (and a password change its password): no figure reads
# those, so only changes to these columns count. A full save() sets every column, and counts.
COUNTED_COLUMNS = {
    "accounts_user": ("email", "full_name", "roles", "team_id", "is_active", "version"),
}
TRIGGER = "reporting_counts_change"
# The transaction's own statements so far, as "txid:count", in a transaction-local setting: set
# and read without writing a row, undone with a rolled-back savepoint, gone at commit.
SETTING = "convene.changes"  # named in FUNCTION_SQL too
FUNCTION_SQL = """
CREATE OR REPLACE FUNCTION reporting_counts_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    noted text := current_setting('convene.changes', true);
BEGIN
    IF noted IS NULL OR noted = '' THEN
        INSERT INTO reporting_datachange (txid) VALUES (txid_current())
        ON CONFLICT (txid) DO NOTHING;
        PERFORM set_config('convene.changes', txid_current() || ':1', true);
    ELSE
        PERFORM set_config(
            'convene.changes',
            split_part(noted, ':', 1) || ':' || (split_part(noted, ':', 2)::bigint + 1),
            true
        );
    END IF;
    RETURN NULL;
END $$
"""


def counted_tables() -> list[str]:
    """Every table of the case-recording apps (and their many-to-many tables) that a figure
    may read: everything but the history tables and ``NOT_COUNTED``."""
    tables = set()
    for label in APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            table = model._meta.db_table
            if model._meta.managed and not model.__name__.endswith("Event"):
                tables.add(table)
    return sorted(tables - NOT_COUNTED)


def install_triggers(**_signal) -> None:
    """Attach the change-counting trigger to every counted table (idempotent). Migrated back
    before the change log exists, the triggers go too, so writes never fail for want of it."""
    with connection.cursor() as cursor:
        if "reporting_datachange" not in connection.introspection.table_names(cursor):
            cursor.execute(f"DROP FUNCTION IF EXISTS {TRIGGER}() CASCADE")
            return
        cursor.execute(FUNCTION_SQL)
        for table in counted_tables():  # names from our own models, quoted
            on = connection.ops.quote_name(table)
            update = "UPDATE"
            if table in COUNTED_COLUMNS:
                columns = ", ".join(connection.ops.quote_name(c) for c in COUNTED_COLUMNS[table])
                update = f"UPDATE OF {columns}"
            cursor.execute(
                f"CREATE OR REPLACE TRIGGER {TRIGGER} "
                f"AFTER INSERT OR {update} OR DELETE OR TRUNCATE ON {on} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {TRIGGER}()"
            )


def fingerprint() -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT last_value FROM reporting_datachange_generation), "
            "count(*), coalesce(max(id), 0), "
            "coalesce(nullif(current_setting(%s, true), ''), '0') "
            "FROM reporting_datachange",
            [SETTING],
        )
        return ".".join(str(part) for part in cursor.fetchone())


def note_change() -> None:
    """Record a change made with the triggers switched off (the benchmark's bulk copies)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO reporting_datachange (txid) VALUES (txid_current()) "
            "ON CONFLICT (txid) DO NOTHING"
        )
        cursor.execute(
            "SELECT set_config(%s, txid_current() || ':' || (coalesce(nullif("
            "split_part(current_setting(%s, true), ':', 2), ''), '0')::bigint + 1), true)",
            [SETTING, SETTING],
        )


@transaction.atomic
def compact() -> int:
    """Remove the rows of finished transactions (a nightly task); returns how many went."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('reporting_datachange_generation')")
        cursor.execute(
            "DELETE FROM reporting_datachange "
            "WHERE txid < txid_snapshot_xmin(txid_current_snapshot())"
        )
        return cursor.rowcount
