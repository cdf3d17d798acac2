from django.urls import path

from . import thematic_views, views

app_name = "reporting"

urlpatterns = [
    path("thematic/", thematic_views.thematic, name="thematic"),
    path("thematic/csv/", thematic_views.thematic_csv, name="thematic_csv"),
    path("audit/", views.audit_log, name="audit_log"),
    path("audit/<str:model_label>/<int:object_id>/", views.record_history, name="record_history"),
]
