from django.urls import path

from complaints import views

app_name = "complaints"

urlpatterns = [
    path("", views.tray, name="tray"),
    path("conference/<int:conference_id>/complaint/", views.complaint_add, name="complaint_add"),
    path("conference/<int:conference_id>/appeal/", views.appeal_add, name="appeal_add"),
    path("conference/<int:conference_id>/dissent/", views.dissent_add, name="dissent_add"),
    path("<int:complaint_id>/", views.complaint_detail, name="complaint_detail"),
    path("<int:complaint_id>/respond/", views.complaint_respond, name="complaint_respond"),
    path("<int:complaint_id>/escalate/", views.complaint_escalate, name="complaint_escalate"),
]
