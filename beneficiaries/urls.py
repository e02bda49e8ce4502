from django.urls import path

from . import views

app_name = "beneficiaries"

urlpatterns = [
    path("", views.BeneficiaryListView.as_view(), name="list"),
    path("them/", views.BeneficiaryCreateView.as_view(), name="create"),
    path("<int:pk>/", views.BeneficiaryDetailView.as_view(), name="detail"),
    path("<int:pk>/sua/", views.BeneficiaryUpdateView.as_view(), name="edit"),
    path("<int:pk>/chung-nhan/them/", views.CertificationEditView.as_view(), name="certification_add"),
    path(
        "<int:pk>/chung-nhan/<int:cert_pk>/", views.CertificationEditView.as_view(), name="certification_edit"
    ),
    path("goi-y/", views.BeneficiaryAutocompleteView.as_view(), name="autocomplete"),
    path("kiem-tra-ma-so-thue/", views.TaxCodeCheckView.as_view(), name="tax_code_check"),
]
