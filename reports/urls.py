from django.urls import path, register_converter

from . import views


class FormatConverter:
    regex = "pdf|xlsx"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class PeriodConverter:
    regex = r"\d{4}(?:-[hq]\d)?"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return getattr(value, "slug", value)


register_converter(FormatConverter, "fmt")
register_converter(PeriodConverter, "period")

app_name = "reports"

urlpatterns = [
    path("", views.ReportIndexView.as_view(), name="index"),
    path("tong-quan/", views.DashboardView.as_view(), name="dashboard"),
    path("ke-hoach/<slug:province>/<period:period>.<fmt:fmt>", views.annual_download, name="annual"),
    path("chuong-trinh/<int:pk>.<fmt:fmt>", views.programme_download, name="programme"),
    path("toan-quoc/<period:period>.<fmt:fmt>", views.national_download, name="national"),
    path("quoc-gia/<int:year>.<fmt:fmt>", views.national_programme_download, name="national_programme"),
    path("de-an.<fmt:fmt>", views.project_list_download, name="projects"),
    path("lich-su-ho-tro.<fmt:fmt>", views.support_history_download, name="support_history"),
]
