"""The advocate's tray and referral pages, and a clerk's manual referral."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from accounts.models import Role
from accounts.permissions import role_required
from conferences.permissions import get_child_for
from config.concurrency import EditConflict

from . import services
from .forms import ManualReferralForm, MoveForm, ViewsForm
from .queries import get_referral_for, referrals_visible_to

CONFLICT = "Someone else changed this referral: check it and try again."


@role_required(Role.ADVOCATE, Role.CLERK, Role.MANAGER)
def referral_tray(request: HttpRequest) -> HttpResponse:
    referrals = referrals_visible_to(request.user).prefetch_related(
        "conferences__conference__chair"
    )
    return render(request, "advocacy/tray.html", {"referrals": referrals[:300]})


def referral_detail(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = get_referral_for(request.user, referral_id)
    move_form = MoveForm(referral=referral, initial={"version": referral.version})
    views_form = ViewsForm(
        initial={
            "young_person_views": referral.young_person_views,
            "supported_appeal": referral.supported_appeal,
            "version": referral.version,
        }
    )
    status = 200
    if request.method == "POST":
        try:
            if "status" in request.POST:
                move_form = MoveForm(request.POST, referral=referral)
                if move_form.is_valid():
                    services.move_referral(
                        actor=request.user,
                        referral=referral,
                        status=move_form.cleaned_data["status"],
                        on=move_form.cleaned_data["on"],
                        expected_version=move_form.cleaned_data["version"],
                    )
                    messages.success(request, "Referral updated")
                    return redirect("advocacy:referral_detail", referral_id=referral.pk)
            else:
                views_form = ViewsForm(request.POST)
                if views_form.is_valid():
                    attended = {
                        link.pk: {"yes": True, "no": False}.get(
                            request.POST.get(f"attended-{link.pk}")
                        )
                        for link in referral.conferences.all()
                    }
                    services.record_views(
                        actor=request.user,
                        referral=referral,
                        views=views_form.cleaned_data["young_person_views"],
                        supported_appeal=views_form.cleaned_data["supported_appeal"],
                        attended=attended,
                        expected_version=views_form.cleaned_data["version"],
                    )
                    messages.success(request, "Saved")
                    return redirect("advocacy:referral_detail", referral_id=referral.pk)
        except services.ReferralRefused as refused:
            move_form.add_error(None, str(refused))
        except EditConflict:
            messages.error(request, CONFLICT)
            status = 409
    links = referral.conferences.select_related("conference__chair").order_by(
        "conference__starts_at"
    )
    return render(
        request,
        "advocacy/referral_detail.html",
        {"referral": referral, "links": links, "move_form": move_form, "views_form": views_form},
        status=status,
    )


@role_required(Role.CLERK, Role.MANAGER)
def refer(request: HttpRequest, child_id: int) -> HttpResponse:
    child = get_child_for(request.user, child_id)
    form = ManualReferralForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.refer_manually(
                actor=request.user, child=child, advocate=form.cleaned_data["advocate"]
            )
        except services.ReferralRefused as refused:
            form.add_error("advocate", str(refused))
        else:
            messages.success(request, f"{child} referred to the advocacy service")
            return redirect("advocacy:referral_detail", referral_id=referral.pk)
    return render(request, "advocacy/refer.html", {"child": child, "form": form})
