"""IRO challenges: raising, responding, escalating; good practice notes."""

from django import forms
from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from accounts.models import Role
from accounts.permissions import has_any_role, role_required
from config.concurrency import EditConflict, show_conflict
from config.services import Refused, show_refusal

from . import challenge_services as services
from .access_log import get_shown_or_404
from .challenge_models import Challenge, ChallengeLevel, ChallengeReason, GoodPracticeNote
from .forms import DayMonthYearField
from .models import Agency, Locality
from .queries import children_visible_to

QA_ROLES = (Role.IRO, Role.MANAGER)


class ChallengeForm(forms.Form):
    level = forms.TypedChoiceField(label="Level", choices=ChallengeLevel.choices, coerce=int)
    raised_with_team = forms.ModelChoiceField(
        label="Locality team", queryset=Locality.objects.all(), required=False
    )
    raised_with_agency = forms.ModelChoiceField(
        label="Or partner agency", queryset=Agency.objects.all(), required=False
    )
    reason = forms.ModelChoiceField(
        label="Reason",
        queryset=ChallengeReason.objects.filter(is_active=True),
        error_messages={"required": "Select the reason"},
    )
    detail = forms.CharField(
        label="What the challenge is about",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Describe the challenge"},
    )
    raised_on = DayMonthYearField(label="Date raised")


class ResponseForm(forms.Form):
    response = forms.CharField(
        label="Response",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the response"},
    )
    responded_on = DayMonthYearField(label="Date of the response")
    outcome = forms.CharField(
        label="Outcome", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    resolved = forms.BooleanField(label="This resolves the challenge", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class EscalateForm(forms.Form):
    on = DayMonthYearField(label="Date escalated")
    detail = forms.CharField(
        label="Why it is escalated",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why it is escalated"},
    )


class GoodPracticeForm(forms.Form):
    credited_to = forms.CharField(
        label="Whom it credits",
        max_length=200,
        error_messages={"required": "Enter the team, agency or person"},
    )
    what_went_well = forms.CharField(
        label="What went well",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Describe what went well"},
    )


def challenges_visible_to(user):
    visible = Challenge.objects.select_related(
        "reason", "raised_with_team", "raised_with_agency", "raised_by"
    ).filter(Q(child__isnull=True) | Q(child__in=children_visible_to(user)))
    if has_any_role(user, Role.MANAGER):
        return visible
    if has_any_role(user, Role.IRO):
        return visible.filter(raised_by=user)
    return visible.none()


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
            "awaiting": awaiting,
            "challenges": challenges[:200],
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
    notes = GoodPracticeNote.objects.filter(child__isnull=True) | GoodPracticeNote.objects.filter(
        child__in=children_visible_to(request.user)
    )
    return render(
        request,
        "conferences/good_practice.html",
        {"form": form, "notes": notes.select_related("noted_by")[:200]},
    )
