from django.urls import path

from . import feedback_views

app_name = "feedback"

urlpatterns = [path("<str:token>/", feedback_views.questionnaire, name="questionnaire")]
