"""The history cannot be emptied: append-only tables refuse TRUNCATE, and the application connects
as a role that owns nothing and may only read and write rows."""

import io
import json
import shutil
import subprocess
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pghistory
import pgtrigger
import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from accounts import services
from accounts.models import Team
from config.audit import TRUNCATE_GUARD, append_only_tables
from config.database_roles import create_database_roles, grant_app_role
from reporting import freshness
from tests.factories import ChildFactory, TeamFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
# Tables whose rows the database protects, found by reading the catalogue rather than asking
# the code that installs the guards: any trigger on DELETE whose function raises.
REFUSING_DELETE = r"""
    SELECT DISTINCT t.tgrelid::regclass::text FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
    WHERE NOT t.tgisinternal AND t.tgtype & 8 = 8 AND p.prosrc ~* 'raise\s+exception'
"""
TRUNCATE_GUARDED = """
    SELECT tgrelid::regclass::text FROM pg_trigger
    WHERE tgname = %s AND tgenabled = 'O' AND tgtype & 32 = 32 AND tgtype & 1 = 0
"""


def _rows(sql: str, params=()) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0] for row in cursor.fetchall()}


def _execute(sql: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql)


@contextmanager
def _as(role: str):
    """Run as another role until the block ends; an error rolls the switch back with it."""
    with transaction.atomic():
        _execute(f'SET ROLE "{role}"')
        yield
        _execute("RESET ROLE")


def _refused(role: str, sql: str) -> str:
    with pytest.raises(DatabaseError) as refusal, _as(role):
        _execute(sql)
    return str(refusal.value)


@pytest.fixture
def app_role():
    """A role made and granted as migrate grants the application's (gone with the test)."""
    role = f"convene_test_app_{uuid.uuid4().hex[:12]}"
    _execute(f'CREATE ROLE "{role}" NOLOGIN')
    assert grant_app_role(role=role)
    return role


def test_every_table_that_refuses_deletes_refuses_truncate_too():
    refusing_delete = _rows(REFUSING_DELETE)
    assert {"accounts_userevent", "accounts_securityevent", "conferences_recordaccess"} <= (
        refusing_delete
    )
    assert refusing_delete <= _rows(TRUNCATE_GUARDED, [TRUNCATE_GUARD])
    assert set(append_only_tables()) <= _rows(TRUNCATE_GUARDED, [TRUNCATE_GUARD])


def test_not_even_a_superuser_can_truncate_a_history_table():
    TeamFactory(name="Charnwood locality")
    with (
        pytest.raises(DatabaseError, match="append-only and cannot be truncated"),
        transaction.atomic(),
    ):
        _execute("TRUNCATE accounts_teamevent")
    assert _rows("SELECT name FROM accounts_teamevent") == {"Charnwood locality"}


def test_truncating_a_record_table_cannot_cascade_into_its_access_log():
    with (
        pytest.raises(DatabaseError, match="append-only and cannot be truncated"),
        transaction.atomic(),
    ):
        _execute("TRUNCATE conferences_family, conferences_child CASCADE")


def test_the_application_role_cannot_truncate_anything(app_role):
    for table in ("accounts_teamevent", "accounts_team", "reporting_datachange"):
        assert "permission denied" in _refused(app_role, f"TRUNCATE {table}")


def test_the_application_role_cannot_change_history_even_with_its_triggers_ignored(app_role):
    TeamFactory(name="Charnwood locality")
    event_table = "accounts_teamevent"
    # pgtrigger.ignore lifts the append-only triggers for the session; only the missing
    # privileges stop the application then.
    with pgtrigger.ignore("accounts.TeamEvent:append_only"):
        for statement in (f"UPDATE {event_table} SET name = 'x'", f"DELETE FROM {event_table}"):
            assert "permission denied" in _refused(app_role, statement)


def test_the_application_role_cannot_drop_alter_or_create_tables(app_role):
    for statement in (
        "DROP TABLE accounts_teamevent",
        "ALTER TABLE accounts_teamevent DISABLE TRIGGER USER",
        "DROP TRIGGER convene_refuses_truncate ON accounts_teamevent",
        "ALTER TABLE accounts_team ADD COLUMN note text",
    ):
        assert "must be owner" in _refused(app_role, statement), statement
    assert "permission denied" in _refused(app_role, "CREATE TABLE scratch (id int)")
    assert "permission denied" in _refused(app_role, "SET session_replication_role = replica")


def test_the_application_role_does_its_daily_work(app_role):
    with _as(app_role):
        team = services.create_team(actor=None, name="Charnwood locality")
        services.rename_team(actor=None, team=team, name="Charnwood", expected_version=1)
        ChildFactory()
        TeamFactory(name="Short-lived").delete()
        before = freshness.fingerprint()
        freshness.compact()
        assert freshness.fingerprint() != before
        assert Team.objects.get(pk=team.pk).name == "Charnwood"
    assert set(
        pghistory.models.Events.objects.filter(pgh_obj_model="accounts.Team").values_list(
            "pgh_label", flat=True
        )
    ) == {"insert", "update", "delete"}


def test_the_roles_set_up_for_a_deployment_own_and_may_exactly_what_they_should(settings):
    suffix = uuid.uuid4().hex[:12]
    owner, app = f"convene_test_owner_{suffix}", f"convene_test_app_{suffix}"
    # Twice: running it again changes nothing.
    for _ in range(2):
        create_database_roles(owner=owner, app=app, app_password="not used")

    assert _rows(
        "SELECT rolname FROM pg_roles WHERE rolname IN (%s, %s) AND rolcanlogin "
        "AND NOT (rolsuper OR rolcreatedb OR rolcreaterole OR rolreplication OR rolbypassrls)",
        [owner, app],
    ) == {owner, app}
    owners = _rows(
        "SELECT DISTINCT relowner::regrole::text FROM pg_class "
        "WHERE relnamespace = current_schema()::regnamespace"
    )
    assert owners == {owner}
    assert _rows(
        "SELECT datdba::regrole::text FROM pg_database WHERE datname = current_database()"
    ) == {owner}
    assert not _rows(
        "SELECT roleid::regrole::text FROM pg_auth_members WHERE member = %s::regrole", [app]
    )

    # Migrating as the owner makes a table the application can use at once, and the grant
    # after migrate narrows it; the application still cannot truncate or make tables.
    with _as(owner):
        _execute("CREATE TABLE scratch_notes (id bigserial PRIMARY KEY, note text)")
        settings.DATABASE_APP_ROLE = app
        call_command("migrate", verbosity=0)
    with _as(app):
        _execute("INSERT INTO scratch_notes (note) VALUES ('made by migrate')")
        TeamFactory(name="Charnwood locality")
    assert "permission denied" in _refused(app, "TRUNCATE scratch_notes")
    assert "permission denied" in _refused(app, "DELETE FROM accounts_teamevent")
    assert "permission denied" in _refused(app, "CREATE TABLE scratch (id int)")
    assert "must be owner" in _refused(app, "DROP TABLE scratch_notes")


def test_granting_after_a_restore_guards_and_grants_or_says_why_not(app_role):
    _execute("DROP TRIGGER convene_refuses_truncate ON accounts_teamevent")
    _execute(f'GRANT TRUNCATE ON accounts_teamevent TO "{app_role}"')

    call_command("grant_app_role", role=app_role, stdout=io.StringIO())

    assert "accounts_teamevent" in _rows(TRUNCATE_GUARDED, [TRUNCATE_GUARD])
    assert "permission denied" in _refused(app_role, "TRUNCATE accounts_teamevent")
    with pytest.raises(CommandError, match="no role"):
        call_command("grant_app_role", role="convene_test_nobody")
    with pytest.raises(CommandError, match="not a role name"):
        call_command("grant_app_role", role='x"; DROP TABLE accounts_user; --')


def _compose_services() -> dict:
    """The Compose file as Compose reads it (anchors merged, variables filled in)."""
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "DJANGO_SECRET_KEY": "x",
        "CONVENE_MFA_KEYS": "x",
        "DJANGO_ALLOWED_HOSTS": "x",
        "POSTGRES_PASSWORD": "superuser-secret",
        "DATABASE_OWNER_PASSWORD": "owner-secret",
        "DATABASE_APP_PASSWORD": "app-secret",
    }
    docker = shutil.which("docker")
    compose_2 = docker and subprocess.run([docker, "compose", "version"], capture_output=True)  # noqa: S603 - a fixed command
    if compose_2 and compose_2.returncode == 0:
        output = subprocess.run(  # noqa: S603 - a fixed command on our own file
            [docker, "compose", "config", "--format", "json"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
        return json.loads(output.stdout)["services"]
    # Compose 1 prints only YAML; it runs on the system Python, which therefore has PyYAML.
    compose_1 = shutil.which("docker-compose")
    assert compose_1, "make test-tools installs Docker Compose"
    output = subprocess.run(  # noqa: S603 - a fixed command on our own file
        [compose_1, "config"], cwd=ROOT, env=env, check=True, capture_output=True
    )
    as_json = subprocess.run(
        [
            "/usr/bin/python3",
            "-c",
            "import json, sys, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)",
        ],
        input=output.stdout,
        check=True,
        capture_output=True,
    )
    return json.loads(as_json.stdout)["services"]


def test_compose_runs_the_application_as_its_role_and_only_migrate_as_the_owner():
    services_ = _compose_services()

    def user(service: str) -> str:
        return urlsplit(services_[service]["environment"]["DATABASE_URL"]).username

    assert {
        name: user(name) for name in ("web", "worker", "beat", "migrate", "database-roles")
    } == {
        "web": "convene_app",
        "worker": "convene_app",
        "beat": "convene_app",
        "migrate": "convene_owner",
        "database-roles": services_["postgres"]["environment"]["POSTGRES_USER"],
    }
    for name in ("web", "worker", "beat"):
        environment = json.dumps(services_[name]["environment"])
        assert "superuser-secret" not in environment
        assert "owner-secret" not in environment
        assert "migrate" in services_[name]["depends_on"]
    assert "create_database_roles" in services_["database-roles"]["command"]
    assert "database-roles" in services_["migrate"]["depends_on"]


@pytest.mark.django_db(transaction=True)
def test_the_test_database_is_still_emptied_after_a_transactional_test():
    # Django's flush afterwards truncates the history too (tests/conftest.py lets it).
    TeamFactory(name="Charnwood locality")
    assert _rows("SELECT name FROM accounts_teamevent") == {"Charnwood locality"}
