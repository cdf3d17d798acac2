"""The managers' dashboard, its downloads, the records behind each number, and definitions."""

from django.apps import apps
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.models import Role
from accounts.permissions import role_required
from conferences.queries import (
    challenges_visible_to,
    children_visible_to,
    conferences_visible_to,
    cusab_meetings_visible_to,
)
from reporting import quality
from reporting.contradictions import CONTRADICTIONS
from reporting.dashboard import workbook
from reporting.dashboard.pages import chart_for, query_of, scope_from
from reporting.exports import write_csv
from reporting.figures import FIGURES, cached_table, compute, figure
from rules.periods import Period, financial_year_of
from rules.timescales import today

MANAGERS = (Role.MANAGER,)


@role_required(*MANAGERS)
def dashboard(request: HttpRequest) -> HttpResponse:
    form, scope = scope_from(request)
    if scope is None:
        return render(request, "reporting/dashboard.html", {"form": form}, status=400)
    shown = [chart_for(table) for table in compute(scope)]
    return render(
        request,
        "reporting/dashboard.html",
        {"form": form, "scope": scope, "shown": shown, "query": query_of(scope)},
    )


@role_required(*MANAGERS)
def table_csv(request: HttpRequest, slug: str) -> HttpResponse:
    found = figure(slug)
    _form, scope = scope_from(request)
    if found is None or scope is None:
        raise Http404
    table = cached_table(found, scope)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slug}-{scope.period.year_label}.csv"'
    write_csv(table, response)
    return response


SCOPED_LISTS = {
    "conferences.Child": children_visible_to,
    "conferences.Conference": conferences_visible_to,
    "conferences.Challenge": challenges_visible_to,
    "conferences.CusabMeeting": cusab_meetings_visible_to,
}


@role_required(*MANAGERS)
def records_behind(request: HttpRequest, slug: str) -> HttpResponse:
    """The records behind one number: the same definition that counted them, scoped to what
    this manager may see, saying how many are not shown."""
    found = figure(slug)
    _form, scope = scope_from(request)
    if found is None or scope is None:
        raise Http404
    columns = {column.key: column for column in found.columns(scope)}
    column = columns.get(request.GET.get("column", ""))
    row_key = request.GET.get("row", "")
    rows = dict(found.rows(scope))
    if found.total_label:
        rows["total"] = found.total_label
    if column is None or row_key not in rows:
        raise Http404
    model = apps.get_model(found.subject_model)
    behind = model.objects.filter(pk__in=found.subjects(scope, column, row_key))
    total = behind.count()
    visible = SCOPED_LISTS[found.subject_model](request.user).filter(pk__in=behind.values("pk"))
    visible_count = visible.count()
    shown = list(visible[:500])
    return render(
        request,
        "reporting/records_behind.html",
        {
            "table_title": found.title,
            "row_label": rows[row_key],
            "column": column,
            "records": shown,
            "kind": found.subject_model.split(".")[1].lower(),
            "not_shown": total - visible_count,
            "more": max(0, visible_count - len(shown)),
            "query": query_of(scope),
        },
    )


@role_required(*MANAGERS)
def definitions(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "reporting/definitions.html",
        {"figures": FIGURES, "contradictions": CONTRADICTIONS},
    )


@role_required(*MANAGERS)
def data_quality(request: HttpRequest) -> HttpResponse:
    form, scope = scope_from(request)
    period = scope.period if scope else Period(financial_year_of(today()))
    return render(
        request,
        "reporting/data_quality.html",
        {"problems": quality.problems(request.user, period), "period": period, "form": form},
    )


@role_required(*MANAGERS)
def dashboard_xlsx(request: HttpRequest) -> HttpResponse:
    _form, scope = scope_from(request)
    if scope is None:
        raise Http404
    response = HttpResponse(
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="convene-dashboard-{scope.period.year_label}.xlsx"'
    )
    workbook.write(compute(scope), response, title=f"Dashboard {scope.period.label}")
    return response
