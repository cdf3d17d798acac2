"""The change log behind reporting.freshness's fingerprint. Its triggers are installed after
every migrate (reporting.apps), so every counted table has one, new ones included."""

from django.db import migrations

SQL = """
CREATE SEQUENCE reporting_datachange_generation;
SELECT nextval('reporting_datachange_generation');
CREATE TABLE reporting_datachange (
    id bigserial PRIMARY KEY,
    txid bigint NOT NULL UNIQUE,
    statements integer NOT NULL DEFAULT 1
);
"""
REVERSE = """
DROP FUNCTION IF EXISTS reporting_counts_change() CASCADE;
DROP TABLE reporting_datachange;
DROP SEQUENCE reporting_datachange_generation;
"""


class Migration(migrations.Migration):
    dependencies = [("reporting", "0002_statutory_exports")]

    operations = [migrations.RunSQL(SQL, REVERSE)]
