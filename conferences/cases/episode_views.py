"""A child's children in need episodes: the referral, enquiry and assessment the census needs."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from conferences.cases import episode_services as services
from conferences.cases.episode_forms import EpisodeForm
from conferences.permissions import (
    can_manage_records,
    case_staff_only,
    get_child_for,
    get_episode_for,
)
from config.concurrency import EditConflict, show_conflict
from config.services import Refused, show_refusal


def _save(request, form, *, child, episode=None):
    details = services.EpisodeDetails.from_cleaned(form.cleaned_data)
    try:
        if episode is None:
            services.record_episode(actor=request.user, child=child, details=details)
        else:
            services.update_episode(
                actor=request.user,
                episode=episode,
                details=details,
                expected_version=form.cleaned_data["version"] or 0,
            )
    except Refused as refused:
        show_refusal(form, refused)
        return None
    messages.success(request, "Referral and enquiry details saved")
    return redirect("conferences:child_detail", child_id=child.pk)


def _refuse_unless_manager_of_records(request):
    if not can_manage_records(request.user):
        raise PermissionDenied


@case_staff_only
def episode_add(request: HttpRequest, child_id: int) -> HttpResponse:
    child = get_child_for(request.user, child_id)
    _refuse_unless_manager_of_records(request)
    form = EpisodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid() and (done := _save(request, form, child=child)):
        return done
    return render(request, "conferences/episode_form.html", {"form": form, "child": child})


@case_staff_only
def episode_edit(request: HttpRequest, episode_id: int) -> HttpResponse:
    episode = get_episode_for(request.user, episode_id)
    _refuse_unless_manager_of_records(request)
    initial = {name: getattr(episode, name) for name in services.FIELDS}
    form = EpisodeForm(
        request.POST if request.method == "POST" else None,
        initial={**initial, "version": episode.version},
    )
    context = {"form": form, "child": episode.child, "episode": episode}
    if request.method == "POST" and form.is_valid():
        try:
            if done := _save(request, form, child=episode.child, episode=episode):
                return done
        except EditConflict:
            show_conflict(request, context)
            return render(request, "conferences/episode_form.html", context, status=409)
    return render(request, "conferences/episode_form.html", context)
