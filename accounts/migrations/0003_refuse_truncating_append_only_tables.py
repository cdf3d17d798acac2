"""History and logs refuse TRUNCATE, as their row triggers refuse UPDATE and DELETE.

The function lives here, in the first of Convene's apps, so it exists before any other app's
tables; this migration guards the append-only tables already present, and
``config.audit.install_truncate_guards`` (after every migrate) guards every one from then on.
Reversing drops the function and, with CASCADE, every guard.
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION convene_refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'Convene: % is append-only and cannot be truncated', TG_TABLE_NAME;
END $$
"""
REVERSE = "DROP FUNCTION IF EXISTS convene_refuse_truncate() CASCADE"
# The tables present now whose rows pgtrigger protects (pghistory names its trigger
# "append_only"; the self-protecting logs say "are_append_only").
GUARD_PRESENT_TABLES = """
DO $$
DECLARE
    target regclass;
BEGIN
    FOR target IN
        SELECT DISTINCT tgrelid::regclass FROM pg_trigger
        WHERE NOT tgisinternal AND tgname LIKE 'pgtrigger\\_%append\\_only\\_%'
    LOOP
        EXECUTE format(
            'CREATE OR REPLACE TRIGGER convene_refuses_truncate BEFORE TRUNCATE ON %s '
            'FOR EACH STATEMENT EXECUTE FUNCTION convene_refuse_truncate()',
            target
        );
    END LOOP;
END $$
"""


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_security")]

    operations = [
        migrations.RunSQL(FUNCTION, REVERSE),
        migrations.RunSQL(GUARD_PRESENT_TABLES, migrations.RunSQL.noop),
    ]
