"""Account administration for administrators: create, change, deactivate, reset, unlock."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from config.concurrency import EditConflict

from . import queries, services
from .forms import NewStaffAccountForm, StaffAccountForm
from .models import Role, SecurityEvent
from .permissions import role_required

administrators_only = role_required(Role.ADMINISTRATOR)

CONFLICT_MESSAGE = (
    "Someone else changed this account while you were editing it. "
    "The form now shows their version: make your change again."
)


@administrators_only
def staff_list(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/staff_list.html", {"accounts": queries.staff_accounts()})


@administrators_only
def staff_add(request: HttpRequest) -> HttpResponse:
    form = NewStaffAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = services.create_staff_account(
            actor=request.user,
            email=data["email"],
            full_name=data["full_name"],
            roles=data["roles"],
            team=data["team"],
            request=request,
        )
        messages.success(request, f"Account created for {user.full_name}: invitation sent")
        return redirect("staff:account_detail", user_id=user.pk)
    return render(request, "accounts/staff_form.html", {"form": form, "account": None})


@administrators_only
def account_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    account = get_object_or_404(queries.staff_accounts(), pk=user_id)
    events = SecurityEvent.objects.filter(user=account).select_related("actor")[:20]
    return render(request, "accounts/staff_detail.html", {"account": account, "events": events})


@administrators_only
def account_edit(request: HttpRequest, user_id: int) -> HttpResponse:
    account = get_object_or_404(queries.staff_accounts(), pk=user_id)

    def initial_form():
        return StaffAccountForm(
            initial={
                "full_name": account.full_name,
                "roles": account.roles,
                "team": account.team_id,
                "makes_annual_report": account.user_permissions.filter(
                    codename="generate_annual_report"
                ).exists(),
                "submits_statutory_returns": account.user_permissions.filter(
                    codename="export_statutory_returns"
                ).exists(),
                "version": account.version,
            }
        )

    if request.method != "POST":
        return render(
            request, "accounts/staff_form.html", {"form": initial_form(), "account": account}
        )
    form = StaffAccountForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.update_staff_account(
                actor=request.user,
                user=account,
                full_name=data["full_name"],
                roles=data["roles"],
                team=data["team"],
                expected_version=data["version"] or 0,
                makes_annual_report=data["makes_annual_report"],
                submits_statutory_returns=data["submits_statutory_returns"],
                request=request,
            )
        except EditConflict:
            account.refresh_from_db()
            context = {"form": initial_form(), "account": account, "conflict": CONFLICT_MESSAGE}
            return render(request, "accounts/staff_form.html", context, status=409)
        except services.AccountRuleBroken as broken:
            form.add_error("roles", str(broken))
        else:
            messages.success(request, f"Changes to {account.full_name} saved")
            return redirect("staff:account_detail", user_id=account.pk)
    return render(request, "accounts/staff_form.html", {"form": form, "account": account})


def _account_action(service, success: str):
    @administrators_only
    @require_POST
    def action(request: HttpRequest, user_id: int) -> HttpResponse:
        account = get_object_or_404(queries.staff_accounts(), pk=user_id)
        try:
            service(actor=request.user, user=account, request=request)
        except services.AccountRuleBroken as broken:
            messages.error(request, str(broken))
        else:
            messages.success(request, success.format(name=account.full_name))
        return redirect("staff:account_detail", user_id=account.pk)

    return action


account_deactivate = _account_action(
    services.deactivate_staff_account, "{name} can no longer sign in: their sessions have ended"
)
account_reactivate = _account_action(services.reactivate_staff_account, "{name} can sign in again")
account_reset_second_factor = _account_action(
    services.reset_second_factor,
    "{name} must set up a new authenticator app when they next sign in",
)
account_unlock = _account_action(services.unlock_account, "{name} can try to sign in again")


@administrators_only
def security_log(request: HttpRequest) -> HttpResponse:
    events = SecurityEvent.objects.select_related("user", "actor")[:200]
    return render(request, "accounts/security_log.html", {"events": events})
