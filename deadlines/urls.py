from django.urls import path

from . import views

app_name = "deadlines"

urlpatterns = [
    path("", views.CalendarView.as_view(), name="calendar"),
    path("ical/<str:token>.ics", views.feed, name="feed"),
]
