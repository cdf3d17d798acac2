"""Account administration for administrators: create, change, deactivate, reset, unlock, and
approve or reject another administrator's request to give someone roles or permissions."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts import queries, services
from accounts.forms import NewStaffAccountForm, StaffAccountForm
from accounts.models import GrantRequest, NamedPermission, Role, SecurityEvent
from accounts.permissions import role_required
from config.concurrency import EditConflict, show_conflict
from config.services import Refused, show_refusal

administrators_only = role_required(Role.ADMINISTRATOR)


@administrators_only
def staff_list(request: HttpRequest) -> HttpResponse:
    context = {"accounts": queries.staff_accounts(), "pending_grants": queries.pending_grants()}
    return render(request, "accounts/staff_list.html", context)


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
            permissions=form.permissions(),
            request=request,
        )
        messages.success(
            request,
            f"Account created for {user.full_name}: invitation sent. Their roles apply when "
            "another administrator approves them.",
        )
        return redirect("staff:account_detail", user_id=user.pk)
    return render(request, "accounts/staff_form.html", {"form": form, "account": None})


@administrators_only
def account_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    account = get_object_or_404(queries.staff_accounts(), pk=user_id)
    events = SecurityEvent.objects.filter(user=account).select_related("actor")[:20]
    context = {
        "account": account,
        "events": events,
        "pending_grant": queries.pending_grants().filter(user=account).first(),
        "permission_labels": [
            permission.label for permission in services.named_permissions_of(account)
        ],
    }
    return render(request, "accounts/staff_detail.html", context)


@administrators_only
def account_edit(request: HttpRequest, user_id: int) -> HttpResponse:
    account = get_object_or_404(queries.staff_accounts(), pk=user_id)
    is_own_account = account == request.user
    held_permissions = services.named_permissions_of(account)

    def initial_form():
        return StaffAccountForm(
            initial={
                "full_name": account.full_name,
                "roles": account.roles,
                "team": account.team_id,
                "makes_annual_report": NamedPermission.ANNUAL_REPORT in held_permissions,
                "submits_statutory_returns": NamedPermission.STATUTORY_RETURNS in held_permissions,
                "version": account.version,
            },
            is_own_account=is_own_account,
        )

    if request.method != "POST":
        return render(
            request, "accounts/staff_form.html", {"form": initial_form(), "account": account}
        )
    if is_own_account and set(StaffAccountForm.ACCESS_FIELDS) & set(request.POST):
        # The form does not offer it, so this was sent by hand.
        return _refuse_own_access_change(request, account)
    form = StaffAccountForm(request.POST, is_own_account=is_own_account)
    if form.is_valid():
        data = form.cleaned_data
        try:
            grant = services.update_staff_account(
                actor=request.user,
                user=account,
                full_name=data["full_name"],
                roles=account.roles if is_own_account else data["roles"],
                team=data["team"],
                expected_version=data["version"] or 0,
                permissions=held_permissions if is_own_account else form.permissions(),
                request=request,
            )
        except EditConflict:
            account.refresh_from_db()
            context = {"form": initial_form(), "account": account}
            show_conflict(request, context)
            return render(request, "accounts/staff_form.html", context, status=409)
        except Refused as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, f"Changes to {account.full_name} saved")
            if grant is not None:
                messages.info(request, GRANT_WAITS_MESSAGE)
            return redirect("staff:account_detail", user_id=account.pk)
    return render(request, "accounts/staff_form.html", {"form": form, "account": account})


GRANT_WAITS_MESSAGE = (
    "The roles and permissions you added apply when another administrator approves them. "
    "We have emailed the other administrators."
)


def _refuse_own_access_change(request: HttpRequest, account) -> HttpResponse:
    services.record_own_access_change_refused(actor=request.user, request=request)
    messages.error(request, services.OWN_ACCESS_REFUSED)
    return redirect("staff:account_detail", user_id=account.pk)


def _grant_decision(service, success: str):
    @administrators_only
    @require_POST
    def decide(request: HttpRequest, grant_id: int) -> HttpResponse:
        grant = get_object_or_404(GrantRequest.objects.select_related("user"), pk=grant_id)
        try:
            service(actor=request.user, grant=grant, request=request)
        except Refused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, success.format(name=grant.user.full_name))
        return redirect("staff:account_detail", user_id=grant.user_id)

    return decide


grant_approve = _grant_decision(
    services.approve_grant, "{name} now has the roles and permissions you approved"
)
grant_reject = _grant_decision(
    services.reject_grant, "You rejected the request: {name}'s roles and permissions are unchanged"
)


def _account_action(service, success: str):
    @administrators_only
    @require_POST
    def action(request: HttpRequest, user_id: int) -> HttpResponse:
        account = get_object_or_404(queries.staff_accounts(), pk=user_id)
        try:
            service(actor=request.user, user=account, request=request)
        except Refused as refused:
            messages.error(request, str(refused))
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
