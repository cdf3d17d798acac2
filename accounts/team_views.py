"""Administrators keep the list of teams (the IRO service's and the localities')."""

from django.contrib import messages
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from accounts import services
from accounts.forms import TeamForm
from accounts.models import Role, Team
from accounts.permissions import role_required
from config.concurrency import EditConflict, show_conflict


@role_required(Role.ADMINISTRATOR)
def team_list(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/team_list.html", {"teams": Team.objects.all()})


@role_required(Role.ADMINISTRATOR)
def team_add(request: HttpRequest) -> HttpResponse:
    form = TeamForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            team = services.create_team(actor=request.user, name=form.cleaned_data["name"])
        except IntegrityError:
            form.add_error("name", "A team with this name already exists: choose another")
        else:
            messages.success(request, f"Team {team.name} added")
            return redirect("staff:team_list")
    return render(request, "accounts/team_form.html", {"form": form, "team": None})


@role_required(Role.ADMINISTRATOR)
def team_edit(request: HttpRequest, team_id: int) -> HttpResponse:
    team = get_object_or_404(Team, pk=team_id)
    if request.method != "POST":
        form = TeamForm(initial={"name": team.name, "version": team.version}, team=team)
        return render(request, "accounts/team_form.html", {"form": form, "team": team})
    form = TeamForm(request.POST, team=team)
    if form.is_valid():
        try:
            services.rename_team(
                actor=request.user,
                team=team,
                name=form.cleaned_data["name"],
                expected_version=form.cleaned_data["version"] or 0,
            )
        except EditConflict:
            team.refresh_from_db()
            form = TeamForm(initial={"name": team.name, "version": team.version}, team=team)
            form.is_bound = False
            context = {"form": form, "team": team}
            show_conflict(request, context)
            return render(request, "accounts/team_form.html", context, status=409)
        messages.success(request, f"Team renamed to {team.name}")
        return redirect("staff:team_list")
    return render(request, "accounts/team_form.html", {"form": form, "team": team})
