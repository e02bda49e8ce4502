from django.contrib.auth import views as auth_views
from django.urls import path

app_name = "accounts"


class PortalLoginView(auth_views.LoginView):
    """After login a person lands on their tasks: the bare home menu (`/`, where a login from the front
    page would return) counts as no particular page."""

    template_name = "accounts/login.html"

    def get_redirect_url(self):
        url = super().get_redirect_url()
        return "" if url == "/" else url


urlpatterns = [
    path("dang-nhap/", PortalLoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
]
