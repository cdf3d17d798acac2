from django.urls import path

from conferences.questionnaires import views as feedback_views

app_name = "feedback"

urlpatterns = [path("<str:token>/", feedback_views.questionnaire, name="questionnaire")]
