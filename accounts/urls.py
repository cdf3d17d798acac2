from django.urls import path

from accounts import staff_views, team_views

app_name = "staff"

urlpatterns = [
    path("accounts/", staff_views.staff_list, name="account_list"),
    path("accounts/add/", staff_views.staff_add, name="account_add"),
    path("accounts/<int:user_id>/", staff_views.account_detail, name="account_detail"),
    path("accounts/<int:user_id>/edit/", staff_views.account_edit, name="account_edit"),
    path(
        "accounts/<int:user_id>/deactivate/",
        staff_views.account_deactivate,
        name="account_deactivate",
    ),
    path(
        "accounts/<int:user_id>/reactivate/",
        staff_views.account_reactivate,
        name="account_reactivate",
    ),
    path(
        "accounts/<int:user_id>/reset-second-factor/",
        staff_views.account_reset_second_factor,
        name="account_reset_second_factor",
    ),
    path("accounts/<int:user_id>/unlock/", staff_views.account_unlock, name="account_unlock"),
    path("grants/<int:grant_id>/approve/", staff_views.grant_approve, name="grant_approve"),
    path("grants/<int:grant_id>/reject/", staff_views.grant_reject, name="grant_reject"),
    path("sign-in-log/", staff_views.security_log, name="security_log"),
    path("teams/", team_views.team_list, name="team_list"),
    path("teams/add/", team_views.team_add, name="team_add"),
    path("teams/<int:team_id>/", team_views.team_edit, name="team_edit"),
]
