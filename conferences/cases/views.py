"""Families and children: search, record pages, adding and changing them, births."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from accounts.models import Role
from accounts.permissions import role_required
from conferences.cases import access_log
from conferences.cases import services as cases_services
from conferences.cases.forms import BirthForm, ChildForm, ChildSearchForm, FamilyForm
from conferences.models import Child, RecordAccess
from conferences.permissions import (
    can_manage_records,
    can_read_access_log,
    case_staff_only,
    get_child_for,
    get_family_for,
)
from conferences.queries import (
    among,
    children_visible_to,
    conferences_visible_to,
    search_children,
)
from config.concurrency import EditConflict, show_conflict
from config.services import Refused, show_refusal
from rules.categories import finalised_decisions, initial_category, latest_category
from rules.plans import ended_at_first_review, previous_plan_count
from rules.timescales import today

ACCESSES_PER_PAGE = 50


@case_staff_only
def child_search(request: HttpRequest) -> HttpResponse:
    # The form posts, so a child's name or date of birth never sits in a URL (browser history,
    # referrers, proxy logs). A GET with ?q= is still answered: nothing Convene renders makes one.
    form = ChildSearchForm(request.POST if request.method == "POST" else (request.GET or None))
    results = None
    if form.is_valid() and form.cleaned_data["q"]:
        results = list(search_children(request.user, form.cleaned_data["q"])[:100])
    return render(request, "conferences/child_search.html", {"form": form, "results": results})


@case_staff_only
def family_add(request: HttpRequest) -> HttpResponse:
    if not can_manage_records(request.user):
        raise PermissionDenied
    form = FamilyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        family = cases_services.create_family(actor=request.user, **form.cleaned_data)
        messages.success(request, f"{family} added: now add the children")
        return redirect("conferences:family_detail", family_id=family.pk)
    return render(request, "conferences/family_form.html", {"form": form})


@case_staff_only
def family_detail(request: HttpRequest, family_id: int) -> HttpResponse:
    family = get_family_for(request.user, family_id)
    children = children_visible_to(request.user).filter(family=family)
    conferences = (
        conferences_visible_to(request.user)
        .filter(family=family)
        .select_related("venue", "chair")
        .prefetch_related("attendees__child")
        .order_by("-starts_at")
    )
    return render(
        request,
        "conferences/family_detail.html",
        {
            "family": family,
            "children": children,
            "conferences": conferences,
            "can_manage": can_manage_records(request.user),
        },
    )


@case_staff_only
def child_add(request: HttpRequest, family_id: int) -> HttpResponse:
    family = get_family_for(request.user, family_id)
    if not can_manage_records(request.user):
        raise PermissionDenied
    form = ChildForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        child = cases_services.create_child(
            actor=request.user,
            family=family,
            details=cases_services.ChildDetails.from_cleaned(form.cleaned_data),
            named_staff=form.cleaned_data["named_staff"],
        )
        messages.success(request, f"{child} added to the {family}")
        return redirect("conferences:child_detail", child_id=child.pk)
    return render(
        request, "conferences/child_form.html", {"form": form, "family": family, "child": None}
    )


@case_staff_only
def child_edit(request: HttpRequest, child_id: int) -> HttpResponse:
    child = get_child_for(request.user, child_id)
    if not can_manage_records(request.user):
        raise PermissionDenied
    initial = {"version": child.version, "named_staff": list(child.named_staff.all())}
    form = ChildForm(request.POST or None, instance=child, initial=initial)
    context = {"form": form, "family": child.family, "child": child}
    if request.method == "POST" and form.is_valid():
        try:
            cases_services.update_child(
                actor=request.user,
                child=Child.objects.get(pk=child.pk),
                details=cases_services.ChildDetails.from_cleaned(form.cleaned_data),
                expected_version=form.cleaned_data["version"] or 0,
                named_staff=form.cleaned_data["named_staff"],
            )
        except EditConflict:
            show_conflict(request, context)
            return render(request, "conferences/child_form.html", context, status=409)
        messages.success(request, f"Changes to {child} saved")
        return redirect("conferences:child_detail", child_id=child.pk)
    return render(request, "conferences/child_form.html", context)


@case_staff_only
def child_detail(request: HttpRequest, child_id: int) -> HttpResponse:
    child = get_child_for(request.user, child_id)
    places = (
        child.conference_places.filter(among(conferences_visible_to(request.user), "conference_id"))
        .select_related("conference__venue", "conference__chair")
        .order_by("-conference__starts_at")
    )
    return render(
        request,
        "conferences/child_detail.html",
        {
            "child": child,
            "places": places,
            "plans": _plans_with_facts(child),
            "cusab_meetings": child.cusab_meetings.select_related("iro"),
            "can_manage": can_manage_records(request.user),
            "can_read_access_log": can_read_access_log(request.user),
            "today": today(),
        },
    )


def _plans_with_facts(child):
    found = list(child.plans.order_by("-started_on"))
    decisions = finalised_decisions([child.pk])[child.pk]
    for plan in found:
        plan.initial = initial_category(plan, decisions)
        plan.latest = latest_category(plan, decisions)
        plan.previous_count = previous_plan_count(plan, child=child, plans=found)
        plan.ended_at_first_review = ended_at_first_review(plan, decisions)
    return found


@case_staff_only
def child_birth(request: HttpRequest, child_id: int) -> HttpResponse:
    child = get_child_for(request.user, child_id)
    if not can_manage_records(request.user):
        raise PermissionDenied
    form = BirthForm(request.POST or None, initial={"version": child.version})
    context = {"form": form, "child": child}
    if request.method == "POST" and form.is_valid():
        try:
            cases_services.record_birth(
                actor=request.user,
                child=child,
                born_on=form.cleaned_data["born_on"],
                expected_version=form.cleaned_data["version"] or 0,
            )
        except Refused as refused:
            show_refusal(form, refused)
        except EditConflict:
            show_conflict(request, context)
            return render(request, "conferences/birth_form.html", context, status=409)
        else:
            messages.success(request, f"Birth recorded for {child}")
            return redirect("conferences:child_detail", child_id=child.pk)
    return render(request, "conferences/birth_form.html", context)


@role_required(Role.MANAGER)
def child_access_log(request: HttpRequest, child_id: int) -> HttpResponse:
    child = get_child_for(request.user, child_id)
    rows = RecordAccess.objects.filter(child=child).select_related("user")
    page = Paginator(rows, ACCESSES_PER_PAGE).get_page(request.GET.get("page"))
    for access in page:
        access.page_label = access_log.label_for(access.page)
    return render(
        request,
        "conferences/child_access_log.html",
        {"child": child, "accesses": page, "page": page},
    )
