from django.urls import path

from . import views

app_name = "reminders"

urlpatterns = [
    path("", views.EmailPreferenceUpdateView.as_view(), name="preferences"),
]
