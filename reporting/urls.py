from django.urls import path

from . import views

app_name = "reporting"

urlpatterns = [
    path("audit/", views.audit_log, name="audit_log"),
    path("audit/<str:model_label>/<int:object_id>/", views.record_history, name="record_history"),
]
