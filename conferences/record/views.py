"""The chair's conference record: starting it, editing with autosave, sign-off, the projector,
copies. Only the chair's "Start the record" makes a record; every other page reads it, and shows
that the chair has not started it while there is none."""

import contextlib
import json
import logging

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.permissions import has_any_role
from advocacy.queries import views_shared_at
from conferences.choices import COLUMN_OF_KIND, INITIAL_STAGES, EntryKind, SafetyColumn, ScoreGiver
from conferences.permissions import can_manage_records, case_staff_only, get_conference_for
from conferences.record import services
from conferences.record.forms import (
    ActionFormSet,
    DecisionForm,
    DissentFormSet,
    DistributionForm,
    EntryFormSet,
    RecordForm,
    ReleaseForm,
    people_to_hide_from,
    record_data,
)
from conferences.record.models import ConferenceRecord, RecordDraft, RecordRelease, SafetyEntry
from config.concurrency import EditConflict, show_conflict
from config.pdf import render_pdf
from config.services import Refused, show_refusal
from rules.audience import FULL_RECORD, ROOM, entries_for, visible_entries
from rules.timescales import (
    decision_letter_due,
    first_core_group_due,
    first_review_due,
    record_distribution_due,
    review_due,
    today,
)
from rules.working_days import working_calendar

logger = logging.getLogger(__name__)


NOT_STARTED = "The chair has not started the record yet"


def _is_chair(request, conference) -> bool:
    return conference.chair_id == request.user.pk


def _not_started(request, conference, status: int = 200) -> HttpResponse:
    return render(
        request,
        "conferences/record_not_started.html",
        {"conference": conference, "can_start": _is_chair(request, conference)},
        status=status,
    )


@require_POST
@case_staff_only
def record_start(request: HttpRequest, conference_id: int) -> HttpResponse:
    conference = get_conference_for(request.user, conference_id)
    if not _is_chair(request, conference):
        raise PermissionDenied
    services.start_record(actor=request.user, conference=conference)
    return redirect("conferences:record_edit", conference_id=conference.pk)


def _initial(record: ConferenceRecord) -> dict:
    overall = {f"overall_{s.given_by}": s.score for s in record.scores.filter(entry__isnull=True)}
    return {
        "pre_meeting_held": {True: "yes", False: "no"}.get(record.pre_meeting_held, ""),
        "inquorate_reason": record.inquorate_reason,
        "child_views": record.child_views,
        "parent_views": record.parent_views,
        "version": record.version,
        **overall,
    }


def _entry_initial(record):
    rows = []
    for entry in record.entries.prefetch_related("scores"):
        row = {
            "kind": entry.kind,
            "text": entry.text,
            "visibility": entry.visibility,
            "hidden_from": _hidden_from_key(entry),
            "legacy_hidden_from": entry.legacy_hidden_from,
        }
        row.update({f"score_{score.given_by}": score.score for score in entry.scores.all()})
        rows.append(row)
    return rows


def _hidden_from_key(entry: SafetyEntry) -> str:
    if entry.hidden_from_participant_id:
        return f"participant:{entry.hidden_from_participant_id}"
    if entry.hidden_from_invitation_id:
        return f"invitation:{entry.hidden_from_invitation_id}"
    return ""


def _forms(record: ConferenceRecord, data=None):
    decisions = record.decisions.select_related("place__child")
    return {
        "form": RecordForm(data, initial=_initial(record)),
        "entries": EntryFormSet(
            data,
            prefix="entries",
            initial=_entry_initial(record),
            form_kwargs={"people": people_to_hide_from(record.conference)},
        ),
        "dissents": DissentFormSet(
            data,
            prefix="dissents",
            initial=[{"dissenter": d.dissenter, "words": d.words} for d in record.dissents.all()],
        ),
        "actions": ActionFormSet(
            data,
            prefix="actions",
            initial=[
                {"who": a.who, "what": a.what, "by_when": a.by_when} for a in record.actions.all()
            ],
        ),
        "decisions": [
            DecisionForm(
                data,
                prefix=f"decision-{decision.place_id}",
                place=decision.place,
                initial={
                    "decision": decision.decision,
                    "end_reason": decision.end_reason,
                    "categories": decision.categories,
                    "multiple_categories_reason": decision.multiple_categories_reason,
                    "factors": decision.factors,
                    **_suggested_dates(record.conference, decision),
                },
            )
            for decision in decisions
        ],
    }


def _suggested_dates(conference, decision) -> dict:
    """Next review and first core group dates from the timescale rules, unless already set."""
    held_on = conference.held_on
    is_initial = decision.place.stage in INITIAL_STAGES
    # An initial conference starts the plan, on the day it is held.
    review = first_review_due(held_on) if is_initial else review_due(held_on)
    core_group = first_core_group_due(held_on, working_calendar()) if is_initial else None
    return {
        "next_review_on": decision.next_review_on or review,
        "first_core_group_on": decision.first_core_group_on or core_group,
    }


def _all_valid(forms) -> bool:
    results = [
        forms["form"].is_valid(),
        forms["entries"].is_valid(),
        forms["dissents"].is_valid(),
        forms["actions"].is_valid(),
    ]
    results += [form.is_valid() for form in forms["decisions"]]
    return all(results)


def _draft_for(record, user) -> RecordDraft | None:
    draft = RecordDraft.objects.filter(record=record, author=user).first()
    if draft and draft.saved_at >= record.updated_at and services.is_form_snapshot(draft.data):
        return draft
    return None


def _as_querydict(data: dict) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, values in data.items():
        query.setlist(key, values if isinstance(values, list) else [values])
    return query


@never_cache
@case_staff_only
def record_edit(request: HttpRequest, conference_id: int) -> HttpResponse:
    conference = get_conference_for(request.user, conference_id)
    if not _is_chair(request, conference):
        return redirect("conferences:record_view", conference_id=conference.pk)
    record = services.record_for(conference)
    if record is None:
        # Nothing posted here is kept: the record is started first, by its own button.
        return _not_started(request, conference, status=409 if request.method == "POST" else 200)
    draft = _draft_for(record, request.user)
    context = {
        "conference": conference,
        "record": record,
        "advocacy_views": views_shared_at(request.user, conference),
    }
    if request.method == "POST":
        forms = _forms(record, request.POST)
        if _all_valid(forms):
            try:
                services.save_record(
                    actor=request.user,
                    record=record,
                    data=record_data(
                        forms["form"],
                        forms["entries"],
                        forms["dissents"],
                        forms["actions"],
                        forms["decisions"],
                    ),
                    expected_version=forms["form"].cleaned_data["version"],
                    amendment_reason=forms["form"].cleaned_data["amendment_reason"],
                )
            except EditConflict:
                _keep_as_draft(request, record)
                record.refresh_from_db()
                context.update(_forms(record))
                show_conflict(request, context)  # the draft banner offers their changes back
                context["draft"] = _draft_for(record, request.user)
                return render(request, "conferences/record_form.html", context, status=409)
            except Refused as refused:
                show_refusal(forms["form"], refused)
            else:
                messages.success(request, "Record saved")
                return redirect("conferences:record_edit", conference_id=conference.pk)
        context.update(forms)
    elif request.GET.get("restore") and draft:
        context.update(_forms(record, _as_querydict(draft.data)))
        context["restored"] = True
    else:
        context.update(_forms(record))
        context["draft"] = draft
    return render(request, "conferences/record_form.html", context)


def _keep_as_draft(request: HttpRequest, record: ConferenceRecord) -> None:
    post = request.POST
    data = {key: post.getlist(key) for key in post if key != "csrfmiddlewaretoken"}
    # Only what no form could send (a NUL, say) is refused; then there is nothing to keep.
    with contextlib.suppress(Refused):
        services.autosave_draft(actor=request.user, record=record, data=data)


@require_POST
@case_staff_only
def record_autosave(request: HttpRequest, conference_id: int) -> JsonResponse:
    conference = get_conference_for(request.user, conference_id)
    if not _is_chair(request, conference):
        raise PermissionDenied
    try:
        data = json.loads(request.body)
    except ValueError:
        return JsonResponse({"saved": False}, status=400)
    if not services.is_form_snapshot(data):
        return JsonResponse({"saved": False}, status=400)
    record = services.record_for(conference)
    if record is None:
        return JsonResponse({"saved": False}, status=409)
    try:
        draft = services.autosave_draft(actor=request.user, record=record, data=data)
    except Refused:
        return JsonResponse({"saved": False}, status=400)
    return JsonResponse(
        {"saved": True, "saved_at": timezone.localtime(draft.saved_at).strftime("%H:%M:%S")}
    )


@require_POST
@case_staff_only
def record_finalise(request: HttpRequest, conference_id: int) -> HttpResponse:
    conference = get_conference_for(request.user, conference_id)
    if not _is_chair(request, conference):
        raise PermissionDenied
    record = services.record_for(conference)
    if record is None:
        messages.error(request, NOT_STARTED)
        return redirect("conferences:record_edit", conference_id=conference.pk)
    try:
        services.finalise_record(
            actor=request.user, record=record, expected_version=int(request.POST.get("version", 0))
        )
    except Refused as refused:
        for problem in refused.messages:
            messages.error(request, problem)
    except EditConflict:
        show_conflict(request)
    else:
        messages.success(request, "Record signed off: the decisions have taken effect")
    return redirect("conferences:record_edit", conference_id=conference.pk)


def _may_read_record(request, conference) -> bool:
    return _is_chair(request, conference) or has_any_role(request.user, Role.MANAGER, Role.CLERK)


@never_cache
@case_staff_only
def record_view(request: HttpRequest, conference_id: int) -> HttpResponse:
    conference = get_conference_for(request.user, conference_id)
    if not _may_read_record(request, conference):
        raise PermissionDenied
    record = services.record_for(conference)
    if record is None:
        return _not_started(request, conference)
    return render(
        request,
        "conferences/record_view.html",
        {
            "conference": conference,
            "record": record,
            "columns": services.entry_columns(record, FULL_RECORD),
            "overall": record.scores.filter(entry__isnull=True),
            "release_form": ReleaseForm(recipients=services.copy_recipients(conference)),
            "distribution_form": DistributionForm(
                initial={
                    "letter_sent_on": record.decision_letter_sent_on,
                    "distributed_on": record.record_distributed_on,
                }
            ),
            "releases": record.releases.select_related("released_by"),
            **_distribution_due(record),
            "can_manage": can_manage_records(request.user),
        },
    )


def _distribution_due(record) -> dict:
    """When the letter and the record are due out, and whether each is overdue."""
    calendar, held_on = working_calendar(), record.conference.held_on
    letter_due = decision_letter_due(held_on, calendar)
    record_due = record_distribution_due(held_on, calendar)
    return {
        "letter_due": letter_due,
        "letter_overdue": record.decision_letter_sent_on is None and today() > letter_due,
        "record_due": record_due,
        "record_overdue": record.record_distributed_on is None and today() > record_due,
    }


@require_POST
@case_staff_only
def record_release(request: HttpRequest, conference_id: int) -> HttpResponse:
    conference = get_conference_for(request.user, conference_id)
    if not (_is_chair(request, conference) or can_manage_records(request.user)):
        raise PermissionDenied
    form = ReleaseForm(request.POST, recipients=services.copy_recipients(conference))
    if not form.is_valid():
        messages.error(request, form.errors["recipient"][0])
        return redirect("conferences:record_view", conference_id=conference.pk)
    record = services.record_for(conference)
    if record is None:
        messages.error(request, NOT_STARTED)
        return redirect("conferences:record_view", conference_id=conference.pk)
    try:
        release = services.release_record(
            actor=request.user, record=record, recipient=form.chosen()
        )
    except Refused as refused:
        messages.error(request, refused.messages[0])
        return redirect("conferences:record_view", conference_id=conference.pk)
    return redirect("conferences:release_pdf", conference_id=conference.pk, release_id=release.pk)


@case_staff_only
def release_pdf(request: HttpRequest, conference_id: int, release_id: int) -> HttpResponse:
    """The copy exactly as it was given: its stored bytes, checked against its SHA-256."""
    conference = get_conference_for(request.user, conference_id)
    if not _may_read_record(request, conference):
        raise PermissionDenied
    release = get_object_or_404(
        RecordRelease.objects.select_related("record", "copy"),
        pk=release_id,
        record__conference=conference,
    )
    copy = getattr(release, "copy", None)
    if copy is None:
        messages.error(
            request,
            "This copy was given before copies were kept, so it cannot be given again: "
            "give a new copy instead",
        )
        return redirect("conferences:record_view", conference_id=conference.pk)
    if not copy.is_intact:
        logger.error("Released copy %s does not match its SHA-256", copy.pk)
        messages.error(
            request,
            "This copy has been changed since it was given, so it cannot be given again: "
            "give a new copy and tell the system administrators",
        )
        return redirect("conferences:record_view", conference_id=conference.pk)
    response = HttpResponse(bytes(copy.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{release.file_name}"'
    return response


@case_staff_only
def decision_letter(request: HttpRequest, conference_id: int) -> HttpResponse:
    conference = get_conference_for(request.user, conference_id)
    if not _may_read_record(request, conference):
        raise PermissionDenied
    record = services.record_for(conference)
    if record is None or not record.is_finalised:
        messages.error(request, "The chair must sign off the record before the letter can go")
        return redirect("conferences:record_view", conference_id=conference.pk)
    html = render_to_string(
        "pdf/decision_letter.html",
        {
            "conference": conference,
            "record": record,
            "decisions": record.decisions.select_related("place__child"),
        },
    )
    response = HttpResponse(
        render_pdf(html, title="Decision letter"), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="decision-letter-{conference.pk}.pdf"'
    return response


@require_POST
@case_staff_only
def record_distribution(request: HttpRequest, conference_id: int) -> HttpResponse:
    conference = get_conference_for(request.user, conference_id)
    if not can_manage_records(request.user):
        raise PermissionDenied
    record = services.record_for(conference)
    if record is None:
        messages.error(request, NOT_STARTED)
        return redirect("conferences:record_view", conference_id=conference.pk)
    form = DistributionForm(request.POST)
    if form.is_valid():
        try:
            services.record_distribution(
                actor=request.user,
                record=record,
                letter_sent_on=form.cleaned_data["letter_sent_on"],
                distributed_on=form.cleaned_data["distributed_on"],
            )
        except Refused as refused:
            messages.error(request, refused.messages[0])
        else:
            messages.success(request, "Distribution dates saved")
    else:
        messages.error(request, "Enter real dates for the letter and the record")
    return redirect("conferences:record_view", conference_id=conference.pk)


@case_staff_only
def projector(request: HttpRequest, conference_id: int) -> HttpResponse:
    conference = get_conference_for(request.user, conference_id)
    if not (_is_chair(request, conference) or has_any_role(request.user, Role.MANAGER)):
        raise PermissionDenied
    return render(request, "conferences/projector.html", {"conference": conference})


def projector_content(record: ConferenceRecord | None) -> dict:
    """What the room may see: from the chair's draft as they type, else the saved record; an
    empty map before the record is started. A draft that cannot be read as the form's fields is
    passed over for the saved record."""
    if record is None:
        return _room_view([], {})
    draft = RecordDraft.objects.filter(record=record, author=record.conference.chair).first()
    if draft and draft.saved_at >= record.updated_at and services.is_form_snapshot(draft.data):
        try:
            entries, overall = _entries_from_draft(draft.data)
        except UnreadableDraft:
            pass
        else:
            return _room_view(visible_entries(entries, ROOM), overall)
    entries = entries_for(record, ROOM)
    for entry in entries:
        entry.given = {score.given_by: score.score for score in entry.scores.all()}
    overall = {s.given_by: s.score for s in record.scores.filter(entry__isnull=True)}
    return _room_view(entries, overall)


def _room_view(shown: list[SafetyEntry], overall: dict) -> dict:
    """``shown``: entries already filtered for the room, by rules.audience."""
    return {
        "columns": [
            {
                "title": column.label,
                "entries": [
                    {"kind": entry.get_kind_display(), "text": entry.text, "scores": entry.given}
                    for entry in shown
                    if entry.column == column
                ],
            }
            for column in SafetyColumn
        ],
        "overall": overall,
    }


class UnreadableDraft(ValueError):
    """A draft whose form fields do not hold what the record form sends."""


def _draft_score(value: str) -> int | None:
    value = value.strip()
    if value.isascii() and value.isdigit() and int(value) <= 10:
        return int(value)
    return None


def _entries_from_draft(data: dict) -> tuple[list[SafetyEntry], dict]:
    """Unsaved entries and overall scores as typed; ``data`` is a form snapshot."""

    def first(key) -> str:
        value = data.get(key, "")
        return (value[0] if value else "") if isinstance(value, list) else value

    total = first("entries-TOTAL_FORMS").strip() or "0"
    if not (total.isascii() and total.isdigit()):
        raise UnreadableDraft(total)
    entries = []
    for index in range(min(int(total), 200)):
        prefix = f"entries-{index}-"
        kind, text = first(prefix + "kind"), first(prefix + "text").strip()
        if kind not in EntryKind.values or not text:
            continue
        entry = SafetyEntry(
            kind=kind,
            column=COLUMN_OF_KIND[EntryKind(kind)],
            text=text,
            visibility=first(prefix + "visibility"),
        )
        entry.given = {
            giver: score
            for giver in ScoreGiver.values
            if (score := _draft_score(first(prefix + f"score_{giver}"))) is not None
        }
        entries.append(entry)
    overall = {
        giver: score
        for giver in ScoreGiver.values
        if (score := _draft_score(first(f"overall_{giver}"))) is not None
    }
    return entries, overall


@never_cache
@case_staff_only
def projector_data(request: HttpRequest, conference_id: int) -> JsonResponse:
    conference = get_conference_for(request.user, conference_id)
    if not (_is_chair(request, conference) or has_any_role(request.user, Role.MANAGER)):
        raise PermissionDenied
    return JsonResponse(projector_content(services.record_for(conference)))
