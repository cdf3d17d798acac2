"""The thematic quarterly report page, printable, and its CSV download."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.models import Role
from accounts.permissions import role_required
from conferences.challenges.models import GoodPracticeNote
from conferences.queries import children_visible_to, none_or_among
from config.spreadsheets import csv_writer
from reporting.thematic.forms import PeriodForm
from reporting.thematic.report import thematic_report
from rules.periods import Period, quarter_of
from rules.timescales import today


def _period(request: HttpRequest) -> tuple[PeriodForm, Period]:
    current = quarter_of(today())
    form = PeriodForm(request.GET or {"year": current.year, "quarter": current.quarter})
    if form.is_valid():
        return form, Period(form.cleaned_data["year"], form.cleaned_data["quarter"])
    return form, current


@role_required(Role.MANAGER)
def thematic(request: HttpRequest) -> HttpResponse:
    form, period = _period(request)
    report = thematic_report(period)
    notes = GoodPracticeNote.objects.filter(noted_on__range=(period.start, period.end))
    visible = notes.filter(none_or_among(children_visible_to(request.user), "child_id"))
    shown = list(visible.select_related("noted_by").order_by("noted_on", "pk"))
    return render(
        request,
        "reporting/thematic.html",
        {
            "form": form,
            "report": report,
            "notes": shown,
            "notes_not_shown": report.good_practice - len(shown),
        },
        status=200 if form.is_valid() or not request.GET else 400,
    )


@role_required(Role.MANAGER)
def thematic_csv(request: HttpRequest) -> HttpResponse:
    _, period = _period(request)
    report = thematic_report(period)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"thematic-{period.year_label}-q{period.quarter}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv_writer(response)
    writer.writerow(["table", "row", "count"])
    writer.writerow(["Challenges raised", "All", report.challenges])
    for title, rows in report.tables():
        for label, count in rows:
            writer.writerow([title, label, count])
    writer.writerow(["Good practice notes", "All", report.good_practice])
    return response
