from django.urls import path

from reporting.annual import views as annual_views
from reporting.audit import views
from reporting.dashboard import views as dashboard_views
from reporting.prepared import views as prepared_views
from reporting.thematic import views as thematic_views
from statutory import views as statutory_views

app_name = "reporting"

urlpatterns = [
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("dashboard/workbook.xlsx", dashboard_views.dashboard_xlsx, name="dashboard_xlsx"),
    path("dashboard/<slug:slug>.csv", dashboard_views.table_csv, name="table_csv"),
    path("dashboard/<slug:slug>/records/", dashboard_views.records_behind, name="records_behind"),
    path("definitions/", dashboard_views.definitions, name="definitions"),
    path("data-quality/", dashboard_views.data_quality, name="data_quality"),
    path("annual/", annual_views.report_list, name="annual_list"),
    path("annual/<int:report_id>/", annual_views.annual_report, name="annual_report"),
    path("annual/<int:report_id>/actions/add/", annual_views.action_edit, name="action_add"),
    path(
        "annual/<int:report_id>/actions/<int:action_id>/",
        annual_views.action_edit,
        name="action_edit",
    ),
    path(
        "annual/<int:report_id>/actions/<int:action_id>/remove/",
        annual_views.action_remove,
        name="action_remove",
    ),
    path("annual/<int:report_id>/generate/", annual_views.generate, name="generate"),
    path("annual/made/<int:generation_id>/", annual_views.generation, name="generation"),
    path(
        "annual/made/<int:generation_id>/status/",
        annual_views.generation_status,
        name="generation_status",
    ),
    path(
        "annual/made/<int:generation_id>/pdf/", annual_views.generation_pdf, name="generation_pdf"
    ),
    path("thematic/", thematic_views.thematic, name="thematic"),
    path("thematic/csv/", thematic_views.thematic_csv, name="thematic_csv"),
    path("returns/", prepared_views.statutory_returns, name="statutory_returns"),
    path("returns/cin-census/", prepared_views.census_prepare, name="census_prepare"),
    path(
        "returns/cin-census/checks/",
        prepared_views.census_checks_prepare,
        name="census_checks_prepare",
    ),
    path(
        "returns/annex-a/<str:fmt>/",
        prepared_views.annex_a_prepare,
        name="annex_a_prepare",
    ),
    path("exports/<uuid:export_key>/", prepared_views.prepared_export, name="prepared_export"),
    path(
        "exports/<uuid:export_key>/status/",
        prepared_views.prepared_export_status,
        name="prepared_export_status",
    ),
    path(
        "exports/<uuid:export_key>/file/",
        prepared_views.prepared_export_file,
        name="prepared_export_file",
    ),
    path("returns/incomplete/", statutory_views.incomplete_children, name="incomplete_children"),
    path("audit/", views.audit_log, name="audit_log"),
    path("audit/<str:model_label>/<int:object_id>/", views.record_history, name="record_history"),
]
