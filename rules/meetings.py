"""Rules about a meeting: its type, its quorum, police notice, and when reports arrived.

The type and the report receipt are here twice, side by side: in Python, for the conference in
hand (its page), and in SQL, as annotations on Conference rows (the figures and their
drill-down). tests/rules/test_meetings.py holds each pair to the same answer on the same
records; nothing else works these out.

The type's SQL twin is kept as a fact: conferences_conference.meeting_type, worked out by
``refresh_meeting_types(conference_ids)`` (its SQL is here, beside the rule), which triggers on
the children's places call in the transaction of every write; ``meeting_type_sql`` reads it.
"""

from collections.abc import Iterable
from datetime import date

from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.models import Case, CharField, F, Q, Value, When

from conferences.choices import (
    INITIAL_STAGES,
    REVIEW_STAGES,
    AgencyKind,
    Attendance,
    MeetingType,
    Stage,
)
from conferences.models import Conference, ConferenceChild, Invitation
from config import kept_facts
from rules.timescales import timescale
from rules.working_days import WorkingCalendar

_SINGLE = {
    Stage.INITIAL: MeetingType.INITIAL,
    Stage.PRE_BIRTH: MeetingType.PRE_BIRTH,
    Stage.RECEIVING_IN: MeetingType.RECEIVING_IN,
    Stage.RECONVENED: MeetingType.RECONVENED,
    Stage.FIRST_REVIEW: MeetingType.FIRST_REVIEW,
    Stage.REVIEW: MeetingType.REVIEW,
}


def meeting_type(stages: Iterable[str]) -> MeetingType:
    """The meeting's type from its children's stages.

    One stage gives its own type. Siblings at an initial and a pre-birth stage make
    "Initial/Pre-birth initial"; any initial stage beside a review stage makes "Review/Initial".
    Other mixes take the type of the stage that comes first in the child's journey (a first
    review beside a subsequent review is a first review; an initial beside a receiving-in is an
    initial), because that stage's timescale is the one that drove the booking.
    """
    distinct = {Stage(stage) for stage in stages}
    if not distinct:
        raise ValueError("a conference has at least one child")
    if len(distinct) == 1:
        return _SINGLE[distinct.pop()]
    has_initial = bool(distinct & INITIAL_STAGES)
    has_review = bool(distinct & REVIEW_STAGES)
    if has_initial and has_review:
        return MeetingType.REVIEW_AND_INITIAL
    if {Stage.INITIAL, Stage.PRE_BIRTH} <= distinct:
        return MeetingType.INITIAL_AND_PRE_BIRTH
    first = min(distinct, key=list(Stage).index)
    return _SINGLE[first]


def meeting_type_sql() -> F:
    """``meeting_type`` as an annotation on Conference rows: the type the database keeps in
    the conference's ``meeting_type`` column (below), "" for a conference with no children."""
    return F("meeting_type")


# The meeting type kept as a fact --------------------------------------------------------------
#
# Worked out per conference at every count, the type cost 100-200 ms a table at a tenth of
# England's size. So conferences_conference.meeting_type keeps it, as the category spans are
# kept (rules/categories.py): one SQL function, refresh_meeting_types(conference_ids), works
# the type of the conferences named out afresh; statement-level triggers on the children's
# places (the only rows the rule reads) call it, in the writing transaction, for just the
# conferences the statement touched. The SQL below is the rule's SQL twin: change one, change
# the other (tests/rules/test_meetings.py holds them to one answer).
#
# The column is on a row Convene's code also writes, so a save of a Conference in hand (read
# before its children changed) would write back an old type. A guard before every write of the
# column keeps what the database worked out unless the refresh itself is writing: the refresh
# says so in a setting local to the transaction.

CONFERENCE_TABLE = Conference._meta.db_table
PLACE_TABLE = ConferenceChild._meta.db_table
REFRESH_FUNCTION = "refresh_meeting_types"
KEEPING = "convene.keeping_meeting_types"


def _quoted(values: Iterable[str]) -> str:
    return ", ".join(f"'{value}'" for value in sorted(values))


def _type_of_stages() -> str:
    """``meeting_type`` over ``stages`` (the distinct stages, NULL for none): the same rules
    in the same order; one stage is the first of its own journey."""
    first = " ".join(f"WHEN '{stage}' = ANY (stages) THEN '{_SINGLE[stage]}'" for stage in Stage)
    return (
        "CASE WHEN stages IS NULL THEN '' "
        f"WHEN stages && ARRAY[{_quoted(INITIAL_STAGES)}]::varchar[] "
        f"AND stages && ARRAY[{_quoted(REVIEW_STAGES)}]::varchar[] "
        f"THEN '{MeetingType.REVIEW_AND_INITIAL}' "
        f"WHEN stages @> ARRAY['{Stage.INITIAL}', '{Stage.PRE_BIRTH}']::varchar[] "
        f"THEN '{MeetingType.INITIAL_AND_PRE_BIRTH}' "
        f"{first} END"
    )


# The conferences {conferences}, each with the type of its places {places}' stages, written
# where it differs from the type kept (an unchanged row is not written at all).
TYPES_UPDATE = """
UPDATE {conference_table} AS conference SET meeting_type = worked.meeting_type
FROM (
    SELECT conference.id, {type_of_stages} AS meeting_type
    FROM {conference_table} AS conference
    LEFT JOIN (
        SELECT conference_id, array_agg(DISTINCT stage) AS stages
        FROM {place_table} AS place WHERE {places} GROUP BY conference_id
    ) AS placed ON placed.conference_id = conference.id
    WHERE {conferences}
) AS worked
WHERE conference.id = worked.id AND conference.meeting_type IS DISTINCT FROM worked.meeting_type
"""


def _types_update(*, conferences: str, places: str) -> str:
    return TYPES_UPDATE.format(
        conference_table=CONFERENCE_TABLE,
        place_table=PLACE_TABLE,
        type_of_stages=_type_of_stages(),
        conferences=conferences,
        places=places,
    )


REFRESH_SQL = """
CREATE OR REPLACE FUNCTION {function}(conference_ids bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('{keeping}', 'on', true);
    {update};
    PERFORM set_config('{keeping}', '', true);
END $$
"""
GUARD = "meeting_types_guard"
GUARD_SQL = """
CREATE OR REPLACE FUNCTION {guard}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('{keeping}', true) IS DISTINCT FROM 'on' THEN
        NEW.meeting_type := CASE WHEN TG_OP = 'INSERT' THEN '' ELSE OLD.meeting_type END;
    END IF;
    RETURN NEW;
END $$
"""
FOLLOWING_TRIGGER = "meeting_types_follow"  # + _insert, _update, _delete
FOLLOWER = f"{FOLLOWING_TRIGGER}_conferencechild"
# The conferences a statement's places were at and are at; an update counts only if it moved
# a place to another conference or changed its stage.
FOLLOWER_SQL = """
CREATE OR REPLACE FUNCTION {follower}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    conferences bigint[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT array_agg(DISTINCT conference_id) INTO conferences FROM new_rows;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT array_agg(DISTINCT conference_id) INTO conferences FROM old_rows;
    ELSE
        SELECT array_agg(DISTINCT conference_id) INTO conferences FROM (
            SELECT unnest(ARRAY[o.conference_id, n.conference_id]) AS conference_id
            FROM old_rows o JOIN new_rows n ON n.id = o.id
            WHERE (o.conference_id, o.stage) IS DISTINCT FROM (n.conference_id, n.stage)
        ) AS concerned;
    END IF;
    IF conferences IS NOT NULL THEN
        PERFORM {refresh}(conferences);
    END IF;
    RETURN NULL;
END $$
"""


def _trigger_sql() -> list[str]:
    # PostgreSQL allows transition tables only on a trigger for one event: three for the places.
    referencing = {
        "INSERT": "NEW TABLE AS new_rows",
        "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
        "DELETE": "OLD TABLE AS old_rows",
    }
    return [
        *(
            f"CREATE OR REPLACE TRIGGER {FOLLOWING_TRIGGER}_{event.lower()} AFTER {event} "
            f"ON {PLACE_TABLE} REFERENCING {transition} FOR EACH STATEMENT "
            f"EXECUTE FUNCTION {FOLLOWER}()"
            for event, transition in referencing.items()
        ),
        # Only a statement that sets the column (Django's save does; an update of other
        # columns does not) is guarded.
        f"CREATE OR REPLACE TRIGGER {GUARD} BEFORE INSERT OR UPDATE OF meeting_type "
        f"ON {CONFERENCE_TABLE} FOR EACH ROW EXECUTE FUNCTION {GUARD}()",
    ]


def _installation() -> list[str]:
    refresh = REFRESH_SQL.format(
        function=REFRESH_FUNCTION,
        keeping=KEEPING,
        update=_types_update(
            conferences="conference.id = ANY (conference_ids)",
            places="place.conference_id = ANY (conference_ids)",
        ).strip(),
    )
    return [
        refresh,
        GUARD_SQL.format(guard=GUARD, keeping=KEEPING),
        FOLLOWER_SQL.format(follower=FOLLOWER, refresh=REFRESH_FUNCTION),
        *_trigger_sql(),
    ]


def install_meeting_types(*, using: str = DEFAULT_DB_ALIAS, **_signal) -> None:
    """(Re)install the meeting types' function and triggers after every migrate, as the tables'
    owner (config.kept_facts: every type worked out afresh when the rule changed). Migrated
    back before the column exists, the function and triggers go too."""
    signature = f"{REFRESH_FUNCTION}(bigint[])"

    def in_place(connection, cursor) -> bool:
        table = connection.introspection.get_table_description(cursor, CONFERENCE_TABLE)
        return "meeting_type" in {column.name for column in table}

    kept_facts.install(
        using=using,
        signature=signature,
        installation=_installation(),
        in_place=in_place,
        removal=[
            f"DROP FUNCTION IF EXISTS {FOLLOWER}() CASCADE",
            f"DROP FUNCTION IF EXISTS {GUARD}() CASCADE",
            f"DROP FUNCTION IF EXISTS {signature}",
        ],
        refresh_all=refresh_all_meeting_types,
    )


def refresh_all_meeting_types(*, using: str = DEFAULT_DB_ALIAS) -> int:
    """Work out every conference's type afresh, in one statement: for loaders that write with
    the triggers switched off (``bench_dashboard``, the national generator), and after
    restoring data only. Returns the number of conferences whose type changed."""
    every = _types_update(conferences="TRUE", places="TRUE")
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        cursor.execute("SELECT set_config(%s, 'on', true)", [KEEPING])
        cursor.execute(every)
        changed = cursor.rowcount
        cursor.execute("SELECT set_config(%s, '', true)", [KEEPING])
        return changed


def is_quorate(invitations: Iterable[Invitation]) -> bool:
    """Children's social care plus at least N other agencies attended. A report without
    attendance does not count."""
    attended = {
        invitation.professional.agency
        for invitation in invitations
        if invitation.attendance == Attendance.ATTENDED
    }
    social_care = {agency for agency in attended if agency.kind == AgencyKind.CHILDRENS_SOCIAL_CARE}
    others = attended - social_care
    return bool(social_care) and len(others) >= timescale("quorum_other_agencies")


def police_notice_days(invitation: Invitation, *, held_on: date, today: date) -> int | None:
    """Calendar days of notice a police invitation gives (counting an unsent one as sent today);
    None for other agencies."""
    if invitation.professional.agency.kind != AgencyKind.POLICE:
        return None
    return (held_on - (invitation.sent_on or today)).days


def is_police_notice_short(invitation: Invitation, *, held_on: date, today: date) -> bool:
    days = police_notice_days(invitation, held_on=held_on, today=today)
    return days is not None and days < timescale("police_notice_days")


class ReportReceipt(models.TextChoices):
    EARLIER = "earlier", "Earlier"
    PREVIOUS_DAY = "previous_day", "Previous working day"
    ON_THE_DAY = "on_the_day", "On the day"
    NOT_RECEIVED = "not_received", "Not received"
    NOT_RECORDED = "not_recorded", "Not recorded"


def classify_report_receipt(
    *, received_on: date | None, not_received: bool, held_on: date, calendar: WorkingCalendar
) -> ReportReceipt:
    """When the report arrived, in the reference report's terms (5.2.2).

    "Previous day" means the previous working day: a report that arrives on the Friday, or over
    the weekend, before a Monday conference arrived the previous day. Arriving on or after the
    day of the conference counts as on the day.
    """
    if not_received:
        return ReportReceipt.NOT_RECEIVED
    if received_on is None:
        return ReportReceipt.NOT_RECORDED
    if received_on >= held_on:
        return ReportReceipt.ON_THE_DAY
    if received_on >= calendar.previous_working_day(held_on):
        return ReportReceipt.PREVIOUS_DAY
    return ReportReceipt.EARLIER


def report_receipt_sql(who: str, held_on, previous_working_day) -> Case:
    """``classify_report_receipt`` as an annotation on Conference rows, for the report to
    ``who`` ("family" or "chair"); ``held_on`` and ``previous_working_day`` are expressions for
    the conference's day in England and the working day before it."""
    received_on = f"report_to_{who}_on"
    return Case(
        When(Q(**{f"report_to_{who}_not_received": True}), then=Value(ReportReceipt.NOT_RECEIVED)),
        When(report_receipt_not_recorded_sql(who), then=Value(ReportReceipt.NOT_RECORDED)),
        When(Q(**{f"{received_on}__gte": held_on}), then=Value(ReportReceipt.ON_THE_DAY)),
        When(
            Q(**{f"{received_on}__gte": previous_working_day}),
            then=Value(ReportReceipt.PREVIOUS_DAY),
        ),
        default=Value(ReportReceipt.EARLIER),
        output_field=CharField(),
    )


def report_receipt_not_recorded_sql(who: str) -> Q:
    """Conferences whose report to ``who`` ("family" or "chair") is ``NOT_RECORDED``: no date
    received, and not marked as not received."""
    return Q(**{f"report_to_{who}_on__isnull": True, f"report_to_{who}_not_received": False})
