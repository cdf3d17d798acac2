"""The two PostgreSQL roles Convene runs as: an owner that migrates, and an application role
that owns nothing and may only read and write rows.

A superuser (or any role that connects as the owner of the tables) can drop, alter, truncate
and switch off the triggers that keep the history append-only; so the web server, the worker
and beat connect as ``settings.DATABASE_APP_ROLE``, which holds SELECT, INSERT, UPDATE and
DELETE on tables (never UPDATE or DELETE on protected ones, never TRUNCATE) and USAGE on
sequences, and nothing else. Only ``migrate`` connects as the owner.

``create_database_roles`` (a superuser, once per database, idempotent) makes the roles and
hands the database to the owner; ``grant_app_role`` (the owner, after every migrate) brings
the application role's privileges into line with the tables that exist now.
"""

import re

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from config.audit import install_truncate_guards, protected_operations

ROW_PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE"
SEQUENCE_PRIVILEGES = "USAGE, SELECT"
# Row privileges never granted: TRUNCATE empties a table past its row triggers, REFERENCES
# and TRIGGER would let the role add constraints and triggers to tables it does not own.
NEVER_GRANTED = "TRUNCATE, REFERENCES, TRIGGER"
ROLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def role_identifier(name: str) -> str:
    """A role name from settings or the command line, checked, quoted for SQL."""
    if not ROLE_NAME.fullmatch(name):
        raise ValueError(f"{name!r} is not a role name (lower-case letters, digits and _)")
    return f'"{name}"'


def grant_app_role(*, role: str, using: str = DEFAULT_DB_ALIAS) -> bool:
    """Grant the application role row access to every table and sequence in the schema, and
    take away what it must never have: TRUNCATE anywhere, and UPDATE or DELETE on the tables
    whose rows the database protects (so ``pgtrigger.ignore`` cannot lift the protection).

    Run as the tables' owner. Returns False, granting nothing, when the role does not exist
    (a developer's database with no roles set up) or is the one connected.
    """
    app = role_identifier(role)
    connection = connections[using]
    quote = connection.ops.quote_name
    # One transaction: nobody ever sees the broad grant before the protected tables' narrowing.
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_roles WHERE rolname = %s AND rolname <> current_user", [role]
        )
        if cursor.fetchone() is None:
            return False
        cursor.execute("SELECT current_schema()")
        schema = quote(cursor.fetchone()[0])
        for statement in (
            f"GRANT {ROW_PRIVILEGES} ON ALL TABLES IN SCHEMA {schema} TO {app}",
            f"REVOKE {NEVER_GRANTED} ON ALL TABLES IN SCHEMA {schema} FROM {app}",
            f"GRANT {SEQUENCE_PRIVILEGES} ON ALL SEQUENCES IN SCHEMA {schema} TO {app}",
            # Tables the owner makes before the next grant (a migration half-way) are usable
            # at once; the next grant then narrows the protected ones.
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} "
            f"GRANT {ROW_PRIVILEGES} ON TABLES TO {app}",
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} "
            f"GRANT {SEQUENCE_PRIVILEGES} ON SEQUENCES TO {app}",
        ):
            cursor.execute(statement)
        existing = set(connection.introspection.table_names(cursor))
        for table, refused in sorted(protected_operations().items()):
            if table in existing:  # names from our own models
                privileges = ", ".join(sorted(refused))
                cursor.execute(f"REVOKE {privileges} ON {schema}.{quote(table)} FROM {app}")
    return True


# Everything in the schema not yet the owner's (a database migrated before the roles existed,
# as the superuser) becomes the owner's: tables first, which carry their indexes and their
# columns' sequences with them, then free-standing sequences and functions. Extensions' own
# objects stay with the extension.
ADOPT_SCHEMA = """
DO $$
DECLARE
    item record;
BEGIN
    FOR item IN
        SELECT c.oid::regclass AS name,
               CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                              WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END AS kind
        FROM pg_class c
        WHERE c.relnamespace = current_schema()::regnamespace
          AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
          AND c.relowner <> '{owner}'::regrole
          AND NOT EXISTS (
              SELECT 1 FROM pg_depend d
              WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                AND d.deptype IN ('a', 'i', 'e')
          )
        ORDER BY c.relkind = 'S'
    LOOP
        EXECUTE format('ALTER %s %s OWNER TO {owner_identifier}', item.kind, item.name);
    END LOOP;
    FOR item IN
        SELECT p.oid::regprocedure AS name FROM pg_proc p
        WHERE p.pronamespace = current_schema()::regnamespace
          AND p.proowner <> '{owner}'::regrole
          AND NOT EXISTS (
              SELECT 1 FROM pg_depend d
              WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
          )
    LOOP
        EXECUTE format('ALTER ROUTINE %s OWNER TO {owner_identifier}', item.name);
    END LOOP;
END $$
"""


def create_database_roles(
    *,
    owner: str,
    app: str,
    owner_password: str | None = None,
    app_password: str | None = None,
    using: str = DEFAULT_DB_ALIAS,
) -> None:
    """Make the owner and application roles (or bring existing ones into line: able to log
    in, no superuser, no creating databases or roles, the application role a member of no
    role) and give the owner this database, its schema and everything in it; then grant the
    application role its rows. Nobody else may create in the schema. Run as a superuser;
    running it again changes nothing. A password left as None is left as it is (none, for
    a new role: enough where PostgreSQL trusts local connections, as in the demo)."""
    owner_identifier, app_identifier = role_identifier(owner), role_identifier(app)
    if owner == app:
        raise ValueError("the owner and the application must be different roles")
    connection = connections[using]
    quote = connection.ops.quote_name
    with transaction.atomic(using=using), connection.cursor() as cursor:
        for name, identifier, password in (
            (owner, owner_identifier, owner_password),
            (app, app_identifier, app_password),
        ):
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(f"CREATE ROLE {identifier}")
            cursor.execute(
                f"ALTER ROLE {identifier} "
                "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS"
            )
            if password is not None:
                cursor.execute(f"ALTER ROLE {identifier} PASSWORD %s", [password])
        # Membership would hand the application its groups' privileges (the owner's above all).
        cursor.execute(
            "SELECT groups.rolname FROM pg_auth_members m "
            "JOIN pg_roles groups ON groups.oid = m.roleid "
            "JOIN pg_roles members ON members.oid = m.member WHERE members.rolname = %s",
            [app],
        )
        for (group,) in cursor.fetchall():
            cursor.execute(f"REVOKE {quote(group)} FROM {app_identifier}")
        cursor.execute("SELECT current_database(), current_schema()")
        database, schema = (quote(name) for name in cursor.fetchone())
        cursor.execute(f"ALTER DATABASE {database} OWNER TO {owner_identifier}")
        cursor.execute(f"ALTER SCHEMA {schema} OWNER TO {owner_identifier}")
        # PostgreSQL before 15 lets every role create tables in the public schema.
        cursor.execute(f"REVOKE CREATE ON SCHEMA {schema} FROM PUBLIC")
        cursor.execute(ADOPT_SCHEMA.format(owner=owner, owner_identifier=owner_identifier))
        # As the owner, so the default privileges cover the tables the owner will make (an
        # error rolls the switch back with the transaction).
        cursor.execute(f"SET ROLE {owner_identifier}")
        grant_app_role(role=app, using=using)
        cursor.execute("RESET ROLE")


def secure_after_migrate(*, using: str = DEFAULT_DB_ALIAS, **_signal) -> None:
    """After every migrate (as the owner): guard the append-only tables against TRUNCATE and
    bring the application role's privileges into line with the tables there are now."""
    install_truncate_guards(using=using)
    grant_app_role(role=settings.DATABASE_APP_ROLE, using=using)
