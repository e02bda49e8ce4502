from django.urls import path

from . import views

app_name = "public"

urlpatterns = [
    path("", views.index, name="index"),
    path("tinh/<str:code>/<int:year>/", views.province_year, name="province"),
    path("chuong-trinh/", views.programme_list, name="programmes"),
    path("chuong-trinh/<slug:code>/", views.programme_detail, name="programme"),
    path("du-lieu-mo/", views.open_data, name="open_data"),
    path("du-lieu-mo/de-an.csv", views.download_csv, name="download_csv"),
    path("du-lieu-mo/de-an.json", views.download_json, name="download_json"),
]
