"""Contacts for clerks, and the managed lists administrators keep."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from accounts.models import Role
from accounts.permissions import role_required
from conferences.cases import services as cases_services
from conferences.cases.reference_forms import ProfessionalForm
from conferences.fields import DayMonthYearField
from conferences.models import Agency, ClosureDay, Locality, PostponementReason, Professional, Venue
from conferences.permissions import can_manage_records
from config.concurrency import EditConflict, show_conflict


@role_required(Role.CLERK, Role.MANAGER, Role.IRO)
def professional_list(request: HttpRequest) -> HttpResponse:
    professionals = Professional.objects.select_related("agency", "locality", "manager")
    return render(
        request,
        "conferences/professional_list.html",
        {"professionals": professionals, "can_manage": can_manage_records(request.user)},
    )


@role_required(Role.CLERK, Role.MANAGER)
def professional_edit(request: HttpRequest, professional_id: int | None = None) -> HttpResponse:
    professional = get_object_or_404(Professional, pk=professional_id) if professional_id else None
    initial = {"version": professional.version} if professional else {}
    form = ProfessionalForm(request.POST or None, instance=professional, initial=initial)
    context = {"form": form, "professional": professional}
    if request.method == "POST" and form.is_valid():
        details = cases_services.ProfessionalDetails.from_cleaned(form.cleaned_data)
        if professional is None:
            cases_services.add_professional(actor=request.user, details=details)
        else:
            try:
                cases_services.update_professional(
                    actor=request.user,
                    professional=Professional.objects.get(pk=professional.pk),
                    details=details,
                    expected_version=form.cleaned_data["version"] or 0,
                )
            except EditConflict:
                show_conflict(request, context)
                return render(request, "conferences/professional_form.html", context, status=409)
        messages.success(request, f"Contact {details.full_name} saved")
        return redirect("conferences:professional_list")
    return render(request, "conferences/professional_form.html", context)


REFERENCE_LISTS = {
    "agencies": (Agency, ["name", "kind"], "Agencies"),
    "localities": (Locality, ["name"], "Localities"),
    "venues": (Venue, ["name"], "Venues"),
    "closure-days": (ClosureDay, ["day", "description"], "Council closure days"),
    "postponement-reasons": (
        PostponementReason,
        ["label", "needs_detail"],
        "Reasons for postponing",
    ),
}


def _reference_form(model, fields):
    overrides = {"day": DayMonthYearField(label="Date")} if "day" in fields else {}
    return forms.modelform_factory(
        model, fields=fields, form=type("Base", (forms.ModelForm,), overrides)
    )


@role_required(Role.ADMINISTRATOR, Role.MANAGER)
def reference_list(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in REFERENCE_LISTS:
        raise Http404
    model, fields, title = REFERENCE_LISTS[kind]
    form = _reference_form(model, fields)(request.POST or None)
    if request.method == "POST":
        if not request.user.has_role(Role.ADMINISTRATOR):
            raise PermissionDenied
        if form.is_valid():
            cases_services.add_reference_item(actor=request.user, model=model, **form.cleaned_data)
            messages.success(request, f"Added to {title.lower()}")
            return redirect("conferences:reference_list", kind=kind)
    return render(
        request,
        "conferences/reference_list.html",
        {
            "items": model.objects.all(),
            "form": form,
            "title": title,
            "kind": kind,
            "lists": [(key, value[2]) for key, value in REFERENCE_LISTS.items()],
            "can_add": request.user.has_role(Role.ADMINISTRATOR),
        },
    )


def reference_index(request: HttpRequest) -> HttpResponse:
    return reference_list(request, kind="agencies")
