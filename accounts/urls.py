from django.urls import path

from . import team_views

app_name = "staff"

urlpatterns = [
    path("teams/", team_views.team_list, name="team_list"),
    path("teams/add/", team_views.team_add, name="team_add"),
    path("teams/<int:team_id>/", team_views.team_edit, name="team_edit"),
]
