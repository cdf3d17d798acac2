"""The advocate's tray and referral pages, and a clerk's manual referral.

Anyone who may see a referral (``queries.referrals_visible_to``) reads it; only its assigned
advocate changes it (``permissions.may_act_on``): 404 for the first, 403 for the second.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.permissions import role_required
from advocacy import services
from advocacy.forms import ManualReferralForm, MoveForm, ViewsForm
from advocacy.models import Referral
from advocacy.permissions import may_act_on, may_take, sees_whole_referral
from advocacy.queries import (
    conferences_of_referral_for,
    get_referral_for,
    referral_conferences_visible_to,
    referrals_visible_to,
)
from conferences.permissions import get_child_for
from config.concurrency import EditConflict, show_conflict
from config.services import Refused, show_refusal


@role_required(Role.ADVOCATE, Role.CLERK, Role.MANAGER)
def referral_tray(request: HttpRequest) -> HttpResponse:
    links = referral_conferences_visible_to(request.user).order_by("conference__starts_at")
    referrals = referrals_visible_to(request.user).prefetch_related(
        Prefetch("conferences", queryset=links)
    )
    return render(request, "advocacy/tray.html", {"referrals": referrals[:300]})


def _referral_to_act_on(request: HttpRequest, referral_id: int) -> Referral:
    referral = get_referral_for(request.user, referral_id)
    if not may_act_on(request.user, referral):
        raise PermissionDenied
    return referral


def _render_detail(request, referral, *, move_form=None, views_form=None, status=200):
    may_act = may_act_on(request.user, referral)
    context = {
        "referral": referral,
        "links": conferences_of_referral_for(request.user, referral),
        "may_act": may_act,
        "may_take": may_take(request.user, referral),
        "sees_whole_referral": sees_whole_referral(request.user),
    }
    if may_act:
        context["move_form"] = move_form or MoveForm(
            referral=referral, initial={"version": referral.version}
        )
        context["views_form"] = views_form or ViewsForm(
            initial={
                "young_person_views": referral.young_person_views,
                "supported_appeal": referral.supported_appeal,
                "version": referral.version,
            }
        )
    return render(request, "advocacy/referral_detail.html", context, status=status)


def referral_detail(request: HttpRequest, referral_id: int) -> HttpResponse:
    return _render_detail(request, get_referral_for(request.user, referral_id))


@require_POST
def take_referral(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = get_referral_for(request.user, referral_id)
    if not may_take(request.user, referral):
        raise PermissionDenied
    try:
        services.take_referral(actor=request.user, referral=referral)
    except Refused as refused:
        messages.error(request, str(refused))
        return redirect("advocacy:tray")
    messages.success(request, "You are now this young person's advocate")
    return redirect("advocacy:referral_detail", referral_id=referral.pk)


@require_POST
def move_referral(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = _referral_to_act_on(request, referral_id)
    form = MoveForm(request.POST, referral=referral)
    if form.is_valid():
        try:
            services.move_referral(
                actor=request.user,
                referral=referral,
                status=form.cleaned_data["status"],
                on=form.cleaned_data["on"],
                expected_version=form.cleaned_data["version"],
            )
        except Refused as refused:
            show_refusal(form, refused)
        except EditConflict:
            show_conflict(request)
            return _render_detail(request, referral, status=409)
        else:
            messages.success(request, "Referral updated")
            return redirect("advocacy:referral_detail", referral_id=referral.pk)
    return _render_detail(request, referral, move_form=form, status=400)


@require_POST
def record_views(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = _referral_to_act_on(request, referral_id)
    form = ViewsForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, referral, views_form=form, status=400)
    attended = {
        link.pk: {"yes": True, "no": False}.get(request.POST.get(f"attended-{link.pk}"))
        for link in referral.conferences.all()
    }
    try:
        services.record_views(
            actor=request.user,
            referral=referral,
            views=form.cleaned_data["young_person_views"],
            supported_appeal=form.cleaned_data["supported_appeal"],
            attended=attended,
            expected_version=form.cleaned_data["version"],
        )
    except EditConflict:
        show_conflict(request)
        return _render_detail(request, referral, status=409)
    messages.success(request, "Saved")
    return redirect("advocacy:referral_detail", referral_id=referral.pk)


@role_required(Role.CLERK, Role.MANAGER)
def refer(request: HttpRequest, child_id: int) -> HttpResponse:
    child = get_child_for(request.user, child_id)
    form = ManualReferralForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.refer_manually(
                actor=request.user, child=child, advocate=form.cleaned_data["advocate"]
            )
        except Refused as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, f"{child} referred to the advocacy service")
            return redirect("advocacy:referral_detail", referral_id=referral.pk)
    return render(request, "advocacy/refer.html", {"child": child, "form": form})
