from django.urls import path

from . import dashboard_views, thematic_views, views

app_name = "reporting"

urlpatterns = [
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("dashboard/workbook.xlsx", dashboard_views.dashboard_xlsx, name="dashboard_xlsx"),
    path("dashboard/<slug:slug>.csv", dashboard_views.table_csv, name="table_csv"),
    path("dashboard/<slug:slug>/records/", dashboard_views.records_behind, name="records_behind"),
    path("definitions/", dashboard_views.definitions, name="definitions"),
    path("data-quality/", dashboard_views.data_quality, name="data_quality"),
    path("thematic/", thematic_views.thematic, name="thematic"),
    path("thematic/csv/", thematic_views.thematic_csv, name="thematic_csv"),
    path("audit/", views.audit_log, name="audit_log"),
    path("audit/<str:model_label>/<int:object_id>/", views.record_history, name="record_history"),
]
