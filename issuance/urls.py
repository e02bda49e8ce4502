from django.urls import path

from . import views

app_name = "issuance"

urlpatterns = [
    path("ban-hanh/", views.register, name="register"),
    path("ban-hanh/so-van-ban-di.xlsx", views.register_xlsx, name="register_xlsx"),
    path("ban-hanh/bao-cao/", views.report_page, name="report"),
    path("ban-hanh/<int:pk>/", views.detail, name="detail"),
    path("ban-hanh/<int:pk>/ban-hanh.<str:fmt>", views.issued_file, name="file"),
    path("ban-hanh/<int:pk>/da-ky/<int:copy>.pdf", views.signed_file, name="signed_file"),
    path("ban-hanh/<int:pk>/nop-ban-ky/", views.upload_signed, name="upload_signed"),
    path("ban-hanh/<int:pk>/ky-co-quan/", views.sign_agency, name="sign_agency"),
    path("xac-minh/", views.verify, name="verify"),
    path("xac-minh/<str:code>/", views.verify, name="verify_code"),
]
