from django.urls import path

from advocacy import views

app_name = "advocacy"

urlpatterns = [
    path("", views.referral_tray, name="tray"),
    path("referrals/<int:referral_id>/", views.referral_detail, name="referral_detail"),
    path("referrals/<int:referral_id>/take/", views.take_referral, name="take_referral"),
    path("referrals/<int:referral_id>/move/", views.move_referral, name="move_referral"),
    path("referrals/<int:referral_id>/views/", views.record_views, name="record_views"),
    path("refer/<int:child_id>/", views.refer, name="refer"),
]
