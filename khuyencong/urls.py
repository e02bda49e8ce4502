from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from . import admin_names, views

admin.site.site_header = "Cổng quản lý khuyến công"
admin.site.site_title = "Quản trị khuyến công"
admin.site.index_title = "Quản trị dữ liệu"
admin_names.install(admin.site)

# Errors never show a stack trace; a database outage answers the Vietnamese 503 page.
handler500 = "khuyencong.error_pages.server_error"
handler404 = "khuyencong.error_pages.page_not_found"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("i18n/", include("django.conf.urls.i18n")),
    path(settings.ADMIN_URL, admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("bao-mat/", include("accounts.two_factor")),
    path("nhat-ky/de-an/", include("projects.audit_trail")),
    path("de-an/", include("projects.urls")),
    path("chuong-trinh/", include("programs.urls")),
    path("co-so/", include("beneficiaries.urls")),
    path("bao-cao/", include("reports.urls")),
    path("excel/", include("spreadsheets.urls")),
    path("cong-khai/", include("public.urls")),
    path("api/v1/", include("api.urls")),
    path("", include("issuance.urls")),
    path("viec-nen/", include("jobs.urls")),
    path("thu-nhac-viec/", include("reminders.urls")),
    path("", include("needs.urls")),
    path("ke-hoach/", include("planning.urls")),
    path("co-so-trung/", include("merging.urls")),
    path("lich/", include("deadlines.urls")),
    path("", include("accounts.home")),
]
