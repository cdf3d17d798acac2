"""IRO challenges: raising, responding, escalating; good practice notes."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from accounts.models import Role
from accounts.permissions import has_any_role, role_required
from conferences.cases.access_log import get_shown_or_404
from conferences.challenges import services
from conferences.challenges.forms import ChallengeForm, EscalateForm, GoodPracticeForm, ResponseForm
from conferences.challenges.models import GoodPracticeNote
from conferences.queries import challenges_visible_to, children_visible_to, none_or_among
from config.bounded import first
from config.concurrency import EditConflict, show_conflict
from config.services import Refused, show_refusal

QA_ROLES = (Role.IRO, Role.MANAGER)
AWAITING_LISTED, ALL_LISTED = 50, 200


@role_required(*QA_ROLES)
def challenge_tray(request: HttpRequest) -> HttpResponse:
    challenges = challenges_visible_to(request.user)
    awaiting = challenges.filter(
        resolved_on__isnull=True, responded_on__isnull=True, escalated_to__isnull=True
    )
    return render(
        request,
        "conferences/challenges.html",
        {
            # The response due soonest first; all steps newest first (the model's order).
            "awaiting": first(awaiting.order_by("response_due_on", "pk"), AWAITING_LISTED),
            "challenges": first(challenges, ALL_LISTED),
            "is_manager": has_any_role(request.user, Role.MANAGER),
        },
    )


@role_required(Role.IRO)
def challenge_raise(request: HttpRequest) -> HttpResponse:
    form = ChallengeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            challenge = services.raise_challenge(actor=request.user, **form.cleaned_data)
        except Refused as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, "Challenge raised")
            return redirect("conferences:challenge_detail", challenge_id=challenge.pk)
    return render(
        request, "conferences/challenge_form.html", {"form": form, "title": "Raise a challenge"}
    )


def _detail_page(
    request, challenge, *, response_form=None, escalate_form=None, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "conferences/challenge_detail.html",
        {
            "challenge": challenge,
            "chain": services.chain(challenge),
            "response_form": response_form or ResponseForm(initial={"version": challenge.version}),
            "escalate_form": escalate_form or EscalateForm(),
        },
        status=status,
    )


@require_safe
def challenge_detail(request: HttpRequest, challenge_id: int) -> HttpResponse:
    challenge = get_shown_or_404(challenges_visible_to(request.user), pk=challenge_id)
    return _detail_page(request, challenge)


@require_POST
def challenge_respond(request: HttpRequest, challenge_id: int) -> HttpResponse:
    challenge = get_shown_or_404(challenges_visible_to(request.user), pk=challenge_id)
    form = ResponseForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.record_response(
                actor=request.user,
                challenge=challenge,
                expected_version=data.pop("version"),
                **data,
            )
        except Refused as refused:
            show_refusal(form, refused)
        except EditConflict:
            show_conflict(request)
            return _detail_page(request, challenge, response_form=form, status=409)
        else:
            messages.success(request, "Response recorded")
            return redirect("conferences:challenge_detail", challenge_id=challenge.pk)
    return _detail_page(request, challenge, response_form=form)


@require_POST
def challenge_escalate(request: HttpRequest, challenge_id: int) -> HttpResponse:
    challenge = get_shown_or_404(challenges_visible_to(request.user), pk=challenge_id)
    form = EscalateForm(request.POST)
    if form.is_valid():
        try:
            step = services.escalate_challenge(
                actor=request.user, challenge=challenge, **form.cleaned_data
            )
        except Refused as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, f"Escalated to {step.get_level_display().lower()}")
            return redirect("conferences:challenge_detail", challenge_id=step.pk)
    return _detail_page(request, challenge, escalate_form=form)


@role_required(*QA_ROLES)
def good_practice(request: HttpRequest) -> HttpResponse:
    form = GoodPracticeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.note_good_practice(actor=request.user, **form.cleaned_data)
        messages.success(request, "Good practice noted")
        return redirect("conferences:good_practice")
    notes = GoodPracticeNote.objects.filter(
        none_or_among(children_visible_to(request.user), "child_id")
    )
    return render(
        request,
        "conferences/good_practice.html",
        {"form": form, "notes": notes.select_related("noted_by")[:200]},
    )
