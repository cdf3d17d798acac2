"""Questionnaires: the IRO opens the parent's on a tablet; agencies get a single-use link.

The questionnaire page is public (agencies have no accounts, and the kiosk is signed out), so it
shows the questions and nothing else: no name, no date, no conference reference.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from conferences.permissions import can_manage_records, case_staff_only, get_conference_for
from conferences.questionnaires import services as feedback
from conferences.questionnaires.forms import QuestionnaireForm
from conferences.questionnaires.models import Respondent
from config.ratelimit import over_limit


@case_staff_only
@require_POST
def feedback_kiosk(request: HttpRequest, conference_id: int) -> HttpResponse:
    """Sign the IRO out and put the parent's questionnaire on the screen: the device holds no
    session that could show the case, and the questionnaire ends after one response."""
    conference = get_conference_for(request.user, conference_id)
    if conference.chair_id != request.user.pk:
        raise PermissionDenied
    if not feedback.is_under_way(conference):
        messages.error(request, "The parent's questionnaire opens on the day of the conference")
        return redirect("conferences:conference_detail", conference_id=conference.pk)
    token = feedback.open_kiosk(actor=request.user, conference=conference)
    logout(request)
    return redirect(feedback.questionnaire_path(token))


@case_staff_only
@require_POST
def feedback_agencies(request: HttpRequest, conference_id: int) -> HttpResponse:
    conference = get_conference_for(request.user, conference_id)
    if not can_manage_records(request.user) and conference.chair_id != request.user.pk:
        raise PermissionDenied
    sent = feedback.send_agency_questionnaires(actor=request.user, conference=conference)
    if sent:
        messages.success(request, f"Questionnaire sent to {sent} agency representative(s)")
    else:
        messages.error(
            request,
            "Nobody to send to: record who attended first; each person gets one questionnaire",
        )
    return redirect("conferences:conference_detail", conference_id=conference.pk)


def questionnaire(request: HttpRequest, token: str) -> HttpResponse:
    limit, window = settings.CONVENE_FEEDBACK_RATE
    if over_limit(request, "feedback", limit=limit, window_seconds=window):
        return render(request, "feedback/too_many.html", status=429)
    try:
        link = feedback.usable_link(token)
    except feedback.LinkUnusable:
        return render(request, "feedback/unusable.html", status=410)
    form = QuestionnaireForm(
        request.POST if request.method == "POST" else None, respondent=link.respondent
    )
    if request.method == "POST" and form.is_valid():
        answers = {key: form.cleaned_data[key] for key in form.question_keys}
        try:
            feedback.submit(token=token, answers=answers, comments=form.cleaned_data["comments"])
        except feedback.LinkUnusable:
            return render(request, "feedback/unusable.html", status=410)
        return render(
            request,
            "feedback/thanks.html",
            {"kiosk": link.respondent == Respondent.PARENT},
        )
    return render(
        request,
        "feedback/questionnaire.html",
        {"form": form, "parent": link.respondent == Respondent.PARENT},
        status=400 if form.is_bound else 200,
    )
