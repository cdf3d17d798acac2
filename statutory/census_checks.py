"""Convene's own checks on a census before it is exported: the DfE validator's errors about data
Convene holds, each said in words with the record to fix."""

import itertools
import json
import tempfile
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import BinaryIO

from django.urls import reverse

from conferences.cases.census_codes import FORTY_WEEKS, LA_CHILD_ID, upn_problem
from statutory.census_data import CensusChild, CensusEpisode


@dataclass(frozen=True)
class CensusProblem:
    local_case_id: str
    rule: str  # the DfE rule it would break
    message: str
    fix_url: str


def problems(children: list[CensusChild]) -> list[CensusProblem]:
    found = []
    for census_child in children:
        found += [
            CensusProblem(census_child.child.local_case_id, rule, message, url)
            for rule, message, url in _child_problems(census_child)
        ]
    return found


def write_checks(children: Iterable[CensusChild], out: BinaryIO) -> int:
    """Check each child as it is read and write what was found to ``out`` as JSON lines: first a
    summary (children checked, problems found), then every problem in file order. Returns how
    many problems. The checks of a national census run for a minute, so the worker writes them
    (reporting/prepared) and the returns page reads back the summary and the first few lines."""
    children_checked = problem_count = 0
    # Held on disk until the summary is known: the summary goes first so a reader stops early.
    with tempfile.TemporaryFile() as found:
        for census_child in children:
            children_checked += 1
            for problem in problems([census_child]):
                problem_count += 1
                found.write(json.dumps(asdict(problem)).encode() + b"\n")
        summary = {"children": children_checked, "problems": problem_count}
        out.write(json.dumps(summary).encode() + b"\n")
        found.seek(0)
        while block := found.read(1 << 20):
            out.write(block)
    return problem_count


def read_checks(lines: Iterable[bytes], *, listed: int) -> dict:
    """What ``write_checks`` wrote: children checked, problems found, and the first ``listed``."""
    lines = iter(lines)
    summary = json.loads(next(lines))
    first = [CensusProblem(**json.loads(line)) for line in itertools.islice(lines, listed)]
    return {
        "children": summary["children"],
        "problem_count": summary["problems"],
        "problems": first,
    }


def _child_problems(found: CensusChild):
    child = found.child
    page = reverse("conferences:child_detail", args=[child.pk])
    edit = reverse("conferences:child_edit", args=[child.pk])
    if not LA_CHILD_ID.fullmatch(child.local_case_id):
        yield "1570/1580", "The local case ID must be 1 to 20 letters and digits", edit
    if child.upn and (problem := upn_problem(child.upn)):
        yield "1510-1550", f"UPN: {problem}", edit
    if not child.ethnicity:
        yield "4220", "Ethnicity not recorded: it will be sent as NOBT (not yet obtained)", edit
    open_episodes = [e for e in found.episodes if e.episode_id and e.closed_on is None]
    if len(open_episodes) > 1:
        yield "8815", "More than one open referral: close the earlier one", page
    for episode in found.episodes:
        yield from _episode_problems(found, episode, page)
    dated = sorted(
        (e for e in found.episodes if e.referral_on), key=lambda episode: episode.referral_on
    )
    for earlier, later in itertools.pairwise(dated):
        if earlier.closed_on is None or earlier.closed_on >= later.referral_on:
            yield (
                "8820",
                f"The referral of {later.referral_on:%-d %B %Y} overlaps an earlier one",
                page,
            )


def _episode_problems(found: CensusChild, episode: CensusEpisode, page: str):
    if episode.episode_id is None:
        days = [plan.start for plan in episode.plans] + episode.icpcs
        yield (
            "8590/8600",
            (f"No referral recorded before the conference of {min(days):%-d %B %Y}: record it"),
            reverse("conferences:episode_add", args=[found.child.pk]),
        )
        return
    fix = reverse("conferences:episode_edit", args=[episode.episode_id])
    birth = found.birth
    if found.unborn_at_census and birth and episode.referral_on < birth - FORTY_WEEKS:
        yield "8606", "The referral is more than 40 weeks before the expected birth", fix
    if episode.s47:
        started, _, icpc, _ = episode.s47
        if icpc and started is None:
            yield "8615", f"No section 47 start date for the conference of {icpc:%-d %B %Y}", fix
        elif icpc and started > icpc:
            yield "8615", "The section 47 enquiry starts after the initial conference", fix
        if icpc and icpc.weekday() >= 5:
            yield "8875", f"The initial conference of {icpc:%-d %B %Y} is at a weekend", page
        if icpc and icpc < episode.referral_on:
            yield "1104", "The initial conference is before the referral date", fix
    closed = episode.closed_on
    for day in [plan.start for plan in episode.plans] + episode.icpcs:
        if closed and day > closed:
            yield (
                "8565",
                (
                    f"The conference of {day:%-d %B %Y} is after the referral closed on "
                    f"{closed:%-d %B %Y}: record the new referral"
                ),
                reverse("conferences:episode_add", args=[found.child.pk]),
            )
    for plan in episode.plans:
        if plan.start < episode.referral_on:
            yield "1105", f"The plan of {plan.start:%-d %B %Y} starts before the referral", fix
        if not plan.initial_category or not plan.latest_category:
            yield "8905/8910", f"The plan of {plan.start:%-d %B %Y} has no category", page
        if found.death and plan.start > found.death:
            yield "8915", "A plan starts after the child's date of death", page
        if found.death and (plan.end is None or plan.end > found.death):
            yield "8920", "A plan goes on after the child's date of death", page
