"""The chair's conference record: editing with autosave, sign-off, the projector, copies."""

import json

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
from config.concurrency import EditConflict
from reporting.pdf import render_pdf

from . import record_services as services
from .child_views import case_staff_only
from .choices import COLUMN_OF_KIND, INITIAL_STAGES, EntryKind, SafetyColumn, ScoreGiver, Visibility
from .permissions import can_manage_records, get_conference_for
from .record_forms import (
    ActionFormSet,
    DecisionForm,
    DissentFormSet,
    DistributionForm,
    EntryFormSet,
    RecordForm,
    ReleaseForm,
    record_data,
)
from .record_models import ROOM, ConferenceRecord, Recipient, RecordDraft, RecordRelease
from .timescales import timescale, today, working_calendar
from .working_days import add_months


def _is_chair(request, conference) -> bool:
    return conference.chair_id == request.user.pk


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
            "hidden_from": entry.hidden_from,
        }
        row.update({f"score_{score.given_by}": score.score for score in entry.scores.all()})
        rows.append(row)
    return rows


def _forms(record: ConferenceRecord, data=None):
    decisions = record.decisions.select_related("place__child")
    return {
        "form": RecordForm(data, initial=_initial(record)),
        "entries": EntryFormSet(data, prefix="entries", initial=_entry_initial(record)),
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
    months = timescale("first_review_months" if is_initial else "review_months")
    core_group = (
        working_calendar().add_working_days(held_on, timescale("first_core_group_working_days"))
        if is_initial
        else None
    )
    return {
        "next_review_on": decision.next_review_on or add_months(held_on, months),
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
    return draft if draft and draft.saved_at >= record.updated_at else None


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
                services.autosave_draft(
                    actor=request.user, record=record, data=_post_as_dict(request.POST)
                )
                record.refresh_from_db()
                context.update(_forms(record))
                context["conflict"] = (
                    "Someone else saved this record while you were editing it. The form shows "
                    "their version; your changes are kept as a draft you can restore and compare."
                )
                context["draft"] = _draft_for(record, request.user)
                return render(request, "conferences/record_form.html", context, status=409)
            except services.RecordRefused as refused:
                forms["form"].add_error(None, refused.errors[0])
                for problem in refused.errors[1:]:
                    forms["form"].add_error(None, problem)
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


def _post_as_dict(post: QueryDict) -> dict:
    return {key: post.getlist(key) for key in post if key != "csrfmiddlewaretoken"}


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
    if not isinstance(data, dict):
        return JsonResponse({"saved": False}, status=400)
    draft = services.autosave_draft(
        actor=request.user, record=services.record_for(conference), data=data
    )
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
    try:
        services.finalise_record(
            actor=request.user, record=record, expected_version=int(request.POST.get("version", 0))
        )
    except services.RecordRefused as refused:
        for problem in refused.errors:
            messages.error(request, problem)
    except EditConflict:
        messages.error(
            request, "The record changed since you opened it: check it, then sign off again"
        )
    else:
        messages.success(request, "Record signed off: the decisions have taken effect")
    return redirect("conferences:record_edit", conference_id=conference.pk)


def _may_read_record(request, conference) -> bool:
    return _is_chair(request, conference) or has_any_role(request.user, Role.MANAGER, Role.CLERK)


def _visible_entries(record, recipient: Recipient):
    entries = list(record.entries.prefetch_related("scores"))
    columns = []
    for column in SafetyColumn:
        shown = [
            entry for entry in entries if entry.column == column and entry.is_visible_to(recipient)
        ]
        columns.append({"title": column.label, "entries": shown})
    return columns


def _recipients(conference) -> list[tuple[str, str]]:
    choices = [("family", "The family (parents and carers)")]
    for invitation in conference.invitations.select_related("professional__agency"):
        name = invitation.professional.full_name
        choices.append((f"person:{name}", f"{name} ({invitation.professional.agency})"))
    for person in conference.participants.all():
        choices.append(
            (f"person:{person.name}", f"{person.name} ({person.get_kind_display().lower()})")
        )
    return choices


@never_cache
@case_staff_only
def record_view(request: HttpRequest, conference_id: int) -> HttpResponse:
    conference = get_conference_for(request.user, conference_id)
    if not _may_read_record(request, conference):
        raise PermissionDenied
    record = services.record_for(conference)
    return render(
        request,
        "conferences/record_view.html",
        {
            "conference": conference,
            "record": record,
            "columns": _visible_entries(record, Recipient(name="", is_family=False)),
            "overall": record.scores.filter(entry__isnull=True),
            "release_form": ReleaseForm(recipients=_recipients(conference)),
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
    letter_due = calendar.add_working_days(held_on, timescale("decision_letter_working_days"))
    record_due = calendar.add_working_days(held_on, timescale("record_distribution_working_days"))
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
    form = ReleaseForm(request.POST, recipients=_recipients(conference))
    if not form.is_valid():
        messages.error(request, "Choose who the copy is for")
        return redirect("conferences:record_view", conference_id=conference.pk)
    choice = form.cleaned_data["recipient"]
    is_family = choice == "family"
    name = "The family" if is_family else choice.split(":", 1)[1]
    try:
        release = services.release_record(
            actor=request.user,
            record=services.record_for(conference),
            recipient_name=name,
            recipient_is_family=is_family,
        )
    except services.RecordRefused as refused:
        messages.error(request, refused.errors[0])
        return redirect("conferences:record_view", conference_id=conference.pk)
    return redirect("conferences:release_pdf", conference_id=conference.pk, release_id=release.pk)


@case_staff_only
def release_pdf(request: HttpRequest, conference_id: int, release_id: int) -> HttpResponse:
    conference = get_conference_for(request.user, conference_id)
    if not _may_read_record(request, conference):
        raise PermissionDenied
    release = get_object_or_404(RecordRelease, pk=release_id, record__conference=conference)
    record = release.record
    html = render_to_string(
        "pdf/record.html",
        {
            "conference": conference,
            "record": record,
            "release": release,
            "columns": _visible_entries(record, release.recipient),
            "overall": record.scores.filter(entry__isnull=True),
            "decisions": record.decisions.select_related("place__child"),
        },
    )
    pdf = render_pdf(html, title="Child protection conference record")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="conference-record-{conference.pk}-v{release.record_version}.pdf"'
    )
    return response


@case_staff_only
def decision_letter(request: HttpRequest, conference_id: int) -> HttpResponse:
    conference = get_conference_for(request.user, conference_id)
    if not _may_read_record(request, conference):
        raise PermissionDenied
    record = services.record_for(conference)
    if not record.is_finalised:
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
    form = DistributionForm(request.POST)
    if form.is_valid():
        try:
            services.record_distribution(
                actor=request.user,
                record=services.record_for(conference),
                letter_sent_on=form.cleaned_data["letter_sent_on"],
                distributed_on=form.cleaned_data["distributed_on"],
            )
        except services.RecordRefused as refused:
            messages.error(request, refused.errors[0])
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


def projector_content(record: ConferenceRecord) -> dict:
    """What the room may see: from the chair's draft as they type, else the saved record."""
    draft = RecordDraft.objects.filter(record=record, author=record.conference.chair).first()
    if draft and draft.saved_at >= record.updated_at:
        return _content_from_draft(draft.data)
    columns = {column.value: [] for column in SafetyColumn}
    for entry in record.entries.prefetch_related("scores"):
        if entry.is_visible_to(ROOM):
            scores = {score.given_by: score.score for score in entry.scores.all()}
            columns[entry.column].append(
                {"kind": entry.get_kind_display(), "text": entry.text, "scores": scores}
            )
    overall = {s.given_by: s.score for s in record.scores.filter(entry__isnull=True)}
    return {"columns": _titled(columns), "overall": overall}


def _titled(columns: dict) -> list[dict]:
    return [
        {"title": SafetyColumn(key).label, "entries": entries} for key, entries in columns.items()
    ]


def _content_from_draft(data: dict) -> dict:
    def first(key):
        value = data.get(key, [""])
        return (value[0] if isinstance(value, list) and value else value) or ""

    columns = {column.value: [] for column in SafetyColumn}
    total = int(first("entries-TOTAL_FORMS") or 0)
    for index in range(min(total, 200)):
        prefix = f"entries-{index}-"
        kind, text = first(prefix + "kind"), first(prefix + "text").strip()
        if (
            kind not in EntryKind.values
            or not text
            or first(prefix + "visibility") != Visibility.EVERYONE
        ):
            continue
        scores = {
            giver: first(prefix + f"score_{giver}")
            for giver in ScoreGiver.values
            if first(prefix + f"score_{giver}")
        }
        columns[COLUMN_OF_KIND[EntryKind(kind)]].append(
            {"kind": EntryKind(kind).label, "text": text, "scores": scores}
        )
    overall = {
        giver: first(f"overall_{giver}") for giver in ScoreGiver.values if first(f"overall_{giver}")
    }
    return {"columns": _titled(columns), "overall": overall}


@never_cache
@case_staff_only
def projector_data(request: HttpRequest, conference_id: int) -> JsonResponse:
    conference = get_conference_for(request.user, conference_id)
    if not (_is_chair(request, conference) or has_any_role(request.user, Role.MANAGER)):
        raise PermissionDenied
    return JsonResponse(projector_content(services.record_for(conference)))
