from django.urls import path

from . import views

app_name = "jobs"

urlpatterns = [
    path("<int:pk>/", views.JobDetailView.as_view(), name="detail"),
    path("<int:pk>/tep/", views.JobFileView.as_view(), name="file"),
]
