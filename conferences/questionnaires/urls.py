from django.urls import path

from conferences.questionnaires import views

app_name = "feedback"

urlpatterns = [path("<str:token>/", views.questionnaire, name="questionnaire")]
