from django.urls import path

from . import views

app_name = "spreadsheets"

urlpatterns = [
    path("", views.ImportIndexView.as_view(), name="index"),
    path("mau/<slug:kind>.xlsx", views.TemplateDownloadView.as_view(), name="template"),
    path("nhap/<int:pk>/", views.ImportPreviewView.as_view(), name="preview"),
    path("nhap/<int:pk>/xac-nhan/", views.ImportConfirmView.as_view(), name="confirm"),
    path("nhap/<int:pk>/chuyen-ma/", views.ImportConvertView.as_view(), name="convert"),
    path("nhap/<int:pk>/huy/", views.ImportCancelView.as_view(), name="cancel"),
    path("nhap/<int:pk>/dong-bi-tu-choi.xlsx", views.RejectedRowsView.as_view(), name="rejected"),
]
