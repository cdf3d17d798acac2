from django.urls import path

from . import views

app_name = "advocacy"

urlpatterns = [
    path("", views.referral_tray, name="tray"),
    path("referrals/<int:referral_id>/", views.referral_detail, name="referral_detail"),
    path("refer/<int:child_id>/", views.refer, name="refer"),
]
