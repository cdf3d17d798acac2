"""Nothing writes on GET: every URL of every app, read as each role, leaves the case tables as
they were, row for row.

The world is the permission matrix's (tests/test_permission_matrix.py): one of each record about
one child, and the ids each route's path takes. Routes about a conference are walked twice: at
the matrix's conference, whose record is signed off and released, and at a conference whose
record nobody has started (its chair, for an IRO, is the user walking). The questionnaire is
walked with a link that works too; allauth's password reset from an emailed key is not walked (it
needs a one-use key). A GET on a route that only takes POST answers 405 and must write nothing.

Compared: every table of the apps below, by its number of rows and a digest of their contents,
before and after each request. Not compared, each for its reason:
- the tables in WRITTEN_BY_READING below;
- pghistory's event tables and pghistory_context: the audit trail of writes, so a write shows in
  its own case table too;
- outside these apps: django_session and usersessions_usersession (session bookkeeping: the idle
  timeout and the list of one's own sessions are kept up to date by every request), axes_*
  (sign-in attempts), allauth's and Django's own tables. The dashboard's figure cache is in the
  cache (Redis), not a table.
"""

from datetime import timedelta

import pghistory.models
import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.db import connection
from django.urls import resolve, reverse
from django.utils import timezone

from accounts.models import Role
from conferences.choices import Stage
from conferences.models import Conference
from conferences.questionnaires.services import open_kiosk
from tests.factories import ChildFactory, UserFactory, at, make_conference
from tests.test_permission_matrix import ROUTES, _path, _world

APPS = ("accounts", "conferences", "advocacy", "complaints", "reporting")
WRITTEN_BY_READING = {
    "conferences_recordaccess": (
        "the access log: showing a child's record writes who saw it, on purpose "
        "(conferences/cases/access_log.py)"
    ),
    "reporting_statutoryexport": (
        "the record of each statutory download, written as the file is handed over, as the access "
        "log is (statutory/services.py)"
    ),
    "accounts_securityevent": (
        "the security log: a session that timed out is logged by the request that ends it "
        "(accounts/middleware.py), whatever its method"
    ),
    "reporting_datachange": (
        "the dashboard's change log: triggers add to it for each write to a counted table, so it "
        "moves only when a compared table does (reporting/freshness.py)"
    ),
}
# Pages walked with a real query, so that they do their work rather than show the form.
DOWNLOADS = {
    "reporting:statutory_returns": "?year=2014&la=855",
}
# A manager holding every named permission walks too (some pages are only theirs), and so does
# someone signed out (the public pages: the questionnaire, signing in).
SIGNED_OUT, PERMITTED = "signed out", "manager with named permissions"
WALKERS = [role.value for role in Role] + [PERMITTED, SIGNED_OUT]


def _compared_tables() -> list[str]:
    events = {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if issubclass(model, pghistory.models.Event)
    }
    prefixes = tuple(f"{label}_" for label in APPS)
    return sorted(
        table
        for table in connection.introspection.table_names()
        if table.startswith(prefixes) and table not in events and table not in WRITTEN_BY_READING
    )


def _snapshot(tables: list[str]) -> dict[str, tuple[int, str]]:
    """Each table's row count and an MD5 of its rows, in one query."""
    quote = connection.ops.quote_name
    sql = " UNION ALL ".join(
        f"SELECT '{table}', count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), ''))"
        f" FROM {quote(table)} t"
        for table in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return {table: (count, digest) for table, count, digest in cursor.fetchall()}


def _walker(name: str):
    if name == SIGNED_OUT:
        return UserFactory(roles=[Role.CLERK])  # the world is built around someone; not signed in
    if name != PERMITTED:
        return UserFactory(roles=[Role(name)])
    user = UserFactory(roles=[Role.MANAGER])
    user.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["generate_annual_report", "export_statutory_returns"]
        )
    )
    return user


def _paths(route, worlds: list[dict], live_token: str) -> list[str]:
    """The route's path in each world that has what it takes; the questionnaire also with a link
    that works (the world's own token is not a real link)."""
    names = resolve(route.path).kwargs
    paths = []
    for world in worlds:
        if all(name in world for name in names):
            paths.append(_path(route, world) + DOWNLOADS.get(route.name, ""))
    if route.name == "feedback:questionnaire":
        paths.append(reverse(route.name, kwargs={"token": live_token}))
    return sorted(set(paths))


def _unstarted_conference(user, child) -> int:
    """A conference held yesterday whose record nobody has started; an IRO walking chairs it."""
    chair = user if user.has_role(Role.IRO) else UserFactory(roles=[Role.IRO])
    return make_conference(
        children_stages=[(child, Stage.REVIEW)],
        chair=chair,
        starts_at=at(timezone.localdate() - timedelta(days=1)),
    ).pk


def test_the_walk_compares_the_case_tables_and_leaves_out_only_those_it_names(db):
    tables = _compared_tables()
    for expected in ("conferences_conferencerecord", "conferences_childdecision", "accounts_user"):
        assert expected in tables
    assert not set(WRITTEN_BY_READING) & set(tables)
    assert set(WRITTEN_BY_READING) <= set(connection.introspection.table_names())
    assert "conferences_conferencerecordevent" not in tables


@pytest.mark.django_db
@pytest.mark.parametrize("walker", WALKERS)
def test_reading_any_page_as_any_role_changes_no_case_table(client, walker):
    user = _walker(walker)
    ids = _world(user)
    unstarted = dict(ids, conference_id=_unstarted_conference(user, ChildFactory()))
    conference = Conference.objects.get(pk=ids["conference_id"])
    live_token = open_kiosk(actor=conference.chair, conference=conference)
    tables = _compared_tables()

    changed = []
    if walker != SIGNED_OUT:
        client.force_login(user)
    before = _snapshot(tables)
    for route in ROUTES:
        for path in _paths(route, [ids, unstarted], live_token):
            client.get(path)
            after = _snapshot(tables)
            changed += [
                f"{path} ({route.name}): {table} {before[table]} -> {after[table]}"
                for table in tables
                if after[table] != before[table]
            ]
            if walker != SIGNED_OUT and "_auth_user_id" not in client.session:
                client.force_login(user)  # signing in again writes the user's last sign-in
                after = _snapshot(tables)
            before = after
    assert changed == [], "\n".join(changed)
