"""Import a DfE children in need census file: every child is checked, then all is written or none.

What the file states replaces what Convene holds; what it leaves out is kept, so an older file
never erases a later date of birth, closure or plan end, nor a plan's review dates from another
census year. "Not known" answers (sex U, ethnicity
NOBT) never overwrite a known one. Children are matched by LAchildID (the local case ID),
episodes by referral date and plans by start date; a child Convene does not know is created
with no names and a placeholder family, and marked as needing completion. Whatever in the file
is not stored (see ``census_contents``) is listed in the result, never dropped silently.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import IntegrityError

from accounts.models import User
from conferences.booking.services import recompute_due_dates
from conferences.cases.episode_models import CinEpisode
from conferences.models import Child, ChildProtectionPlan, Family
from config.bulk import insert_all, update_all
from config.concurrency import EditConflict
from config.services import audited_write
from statutory.census_read import (
    CensusFile,
    CensusRefused,
    ChildRow,
    NotStored,
    PlanRow,
    Problem,
    file_problem,
    read_census,
)

# Where the "not known" answers are in the file, to say which one was not stored.
NOT_KNOWN_WHERE = {"sex": "ChildIdentifiers/Sex", "ethnicity": "ChildCharacteristics/Ethnicity"}


@dataclass
class ImportResult:
    """Counts of records (children, children in need episodes and plans), and what in the file
    was not stored, by LAchildID and path."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped_no_further_action: int = 0
    incomplete_children: list[str] = field(default_factory=list)
    not_stored: list[NotStored] = field(default_factory=list)


def import_census(data: bytes, *, actor: User | None = None) -> ImportResult:
    """Check every child in a census file, then write them all in one transaction, or raise
    CensusRefused with every problem found and write nothing. Re-importing the same file changes
    nothing. ``actor`` is None when the import is run from the command line."""
    census = read_census(data)
    try:
        with audited_write(
            actor, "import_cin_census", bulk=True, source="web" if actor else "command"
        ):
            result = _write(census)
    except (EditConflict, IntegrityError):
        # Checked above, so only a change made by someone else meanwhile can clash.
        raise CensusRefused(
            [
                file_problem(
                    "Some of these records were changed while the file was being imported, so "
                    "nothing was saved. Import the file again."
                )
            ]
        ) from None
    # Listed child by child, in the file's order; what is about the file as a whole first.
    order = {row.local_case_id: number for number, row in enumerate(census.children)}
    result.not_stored = sorted(
        census.not_stored + result.not_stored, key=lambda note: order.get(note.child, -1)
    )
    return result


def _write(census: CensusFile) -> ImportResult:
    rows = census.children
    ids = [row.local_case_id for row in rows]
    children = {
        child.local_case_id: child
        for child in Child.objects.select_for_update().filter(local_case_id__in=ids)
    }
    plans, episodes = defaultdict(dict), defaultdict(dict)
    for plan in ChildProtectionPlan.objects.filter(child__in=children.values()):
        plans[plan.child_id][plan.started_on] = plan
    for episode in CinEpisode.objects.filter(child__in=children.values()):
        episodes[episode.child_id][episode.referral_on] = episode
    problems = []
    for row in rows:
        child = children.get(row.local_case_id)
        current = plans[child.pk] if child else {}
        problems += _plan_problems(row, current)
        problems += _episode_problems(row, episodes[child.pk] if child else {})
    if problems:
        raise CensusRefused(problems)
    result, changes = ImportResult(), _Changes()
    changed = [
        child
        for row in rows
        if (child := children.get(row.local_case_id))
        and _write_child(row, child, plans[child.pk], episodes, census, result, changes)
    ]
    changes.write()
    # Booked conferences' due dates hang on the birth date and the open plan.
    recompute_due_dates(*changed)
    _create_children([row for row in rows if row.local_case_id not in children], result)
    return result


def _create_children(rows: list[ChildRow], result: ImportResult) -> None:
    """Create the children Convene does not know, each with no names and a placeholder family,
    with their episodes and plans: a few statements for the whole file rather than four or more
    for each child. Each row still gets its history row and audit context (the history triggers
    are the database's, row by row)."""
    families = [Family(name=f"Census import {row.local_case_id}") for row in rows]
    insert_all(Family, families)
    created = [
        Child(
            family=family,
            local_case_id=row.local_case_id,
            last_name="Not recorded",
            needs_completion=True,
            **row.when_created,
            **(row.values | _previous_plans(row, {})),
        )
        for row, family in zip(rows, families, strict=True)
    ]
    insert_all(Child, created)
    new_episodes, new_plans = [], []
    for row, child in zip(rows, created, strict=True):
        result.created += 1
        result.incomplete_children.append(row.local_case_id)
        for episode in row.episodes:
            if episode.is_no_further_action:
                _skip(row, episode, result)
            else:
                new_episodes.append(
                    CinEpisode(child=child, referral_on=episode.referral_on, **episode.values)
                )
        new_plans += [
            ChildProtectionPlan(child=child, started_on=plan.started_on, **plan.values)
            for plan in row.plans
        ]
    insert_all(CinEpisode, new_episodes)
    insert_all(ChildProtectionPlan, new_plans)
    result.created += len(new_episodes) + len(new_plans)


def _skip(row: ChildRow, episode, result: ImportResult) -> None:
    result.skipped_no_further_action += 1
    result.not_stored.append(
        NotStored(
            row.local_case_id,
            episode.where.rstrip("/"),
            "A referral with no further action is not stored.",
        )
    )


def _plan_problems(row: ChildRow, current: dict) -> list[Problem]:
    """The child's plans as they would be after the import must never overlap (the database
    refuses it too, but without saying which plan)."""
    spans = [(plan.started_on, plan.ended_on, None) for plan in current.values()]
    spans = [span for span in spans if span[0] not in {p.started_on for p in row.plans}]
    for plan in row.plans:
        matched = current.get(plan.started_on)
        ended = plan.values.get("ended_on", matched.ended_on if matched else None)
        spans.append((plan.started_on, ended, plan.where))
    spans.sort(key=lambda span: span[0])
    problems = []
    for index, (_, end, where) in enumerate(spans):
        for later_start, later_end, later_where in spans[index + 1 :]:
            if not (where or later_where) or (end is not None and end <= later_start):
                continue
            if end is None and later_end is None:
                message = "The child would have two open plans (no CPPendDate): one may be open."
            else:
                message = "This plan overlaps another of the child's plans"
                message += (
                    f" ({where.rstrip('/')})." if where and later_where else " already in Convene."
                )
            problems.append(
                Problem(row.local_case_id, (later_where or where) + "CPPstartDate", message)
            )
    return problems


def _episode_problems(row: ChildRow, current: dict) -> list[Problem]:
    problems = []
    for episode in row.episodes:
        matched = current.get(episode.referral_on)
        started = episode.values.get(
            "assessment_started_on", matched.assessment_started_on if matched else None
        )
        authorised = episode.values.get(
            "assessment_authorised_on", matched.assessment_authorised_on if matched else None
        )
        if authorised and (started is None or authorised < started):
            problems.append(
                Problem(
                    row.local_case_id,
                    episode.where + "Assessments/AssessmentActualStartDate",
                    "The assessment would start after Convene's recorded authorisation date.",
                )
            )
    return problems


@dataclass
class _Changes:
    """What the file changes in the children Convene holds, written together once every child
    is read: a statement for each kind of record updated (each row only if nobody saved it
    since it was read), then the new episodes and plans, rather than a statement or more for
    each child. Updates come first: an end date recorded on a plan may make room for a new one.
    """

    updated: dict = field(default_factory=lambda: defaultdict(dict))  # model: {pk: instance}
    fields: dict = field(default_factory=lambda: defaultdict(set))  # model: names changed
    created: dict = field(default_factory=lambda: defaultdict(list))  # model: new instances

    def update(self, instance, names) -> None:
        model = type(instance)
        self.updated[model][instance.pk] = instance
        self.fields[model].update(names)

    def write(self) -> None:
        for model, instances in self.updated.items():
            instances = list(instances.values())
            if update_all(model, instances, sorted(self.fields[model])) < len(instances):
                raise EditConflict
        for model, instances in self.created.items():
            insert_all(model, instances)


def _changed(instance, values: dict, result: ImportResult, changes: _Changes) -> bool:
    """Save only what differs, so that an unchanged record gets no new version or history."""
    fields = [name for name, value in values.items() if getattr(instance, name) != value]
    if not fields:
        result.unchanged += 1
        return False
    for name in fields:
        setattr(instance, name, values[name])
    changes.update(instance, fields)
    result.updated += 1
    return True


def _previous_plans(row: ChildRow, current: dict) -> dict:
    """The census's count of plans before the child's earliest plan in the file, less those
    Convene holds, is the number from before Convene or elsewhere."""
    earliest = min(row.plans, key=lambda plan: plan.started_on, default=None)
    if earliest is None or earliest.previous_plans is None:
        return {}
    known = sum(1 for started_on in current if started_on < earliest.started_on)
    return {"previous_plans_elsewhere": max(0, earliest.previous_plans - known)}


def _plan_values(plan: PlanRow, matched: ChildProtectionPlan, census: CensusFile) -> dict:
    """A census lists only its own year's reviews: those Convene holds from other years stay."""
    if "imported_review_dates" not in plan.values:
        return plan.values
    kept = [day for day in matched.imported_review_dates if not census.is_in_year(day)]
    reviews = sorted({*plan.values["imported_review_dates"], *kept})
    return plan.values | {"imported_review_dates": reviews}


def _write_child(
    row, child, current_plans, episodes, census, result: ImportResult, changes: _Changes
) -> bool:
    """Bring a child Convene holds up to date with the file (in ``changes``, written once every
    child is read); say whether the child or a plan changed."""
    values = row.values | _previous_plans(row, current_plans)
    has_changed = _changed(child, values, result, changes)
    for name, code in row.when_created.items():
        if getattr(child, name) != code:
            result.not_stored.append(
                NotStored(
                    row.local_case_id,
                    NOT_KNOWN_WHERE[name],
                    'A "not known" answer does not replace what Convene holds, so it was '
                    "not stored.",
                )
            )
    current_episodes = episodes[child.pk]
    for episode in row.episodes:
        if episode.is_no_further_action:
            _skip(row, episode, result)
        elif episode.referral_on in current_episodes:
            _changed(current_episodes[episode.referral_on], episode.values, result, changes)
        else:
            changes.created[CinEpisode].append(
                CinEpisode(child=child, referral_on=episode.referral_on, **episode.values)
            )
            result.created += 1
    for plan in row.plans:
        if plan.started_on in current_plans:
            matched = current_plans[plan.started_on]
            values = _plan_values(plan, matched, census)
            has_changed |= _changed(matched, values, result, changes)
        else:
            changes.created[ChildProtectionPlan].append(
                ChildProtectionPlan(child=child, started_on=plan.started_on, **plan.values)
            )
            result.created += 1
            has_changed = True
    return has_changed
