"""The optional second factor (TOTP, an authenticator app) for leadership and administrators.

A leader or an administrator may turn it on from "Bảo mật tài khoản"; from then on every login of theirs
asks for the six-digit code before any page opens (khuyencong.middleware.SecondFactorMiddleware). Other
roles never see it. Codes are throttled by django-otp (each failure doubles the wait).
"""

from base64 import b32encode

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from khuyencong.middleware import SecondFactorMiddleware

from .roles import has_role

app_name = "two_factor"
DEVICE_NAME = "Ứng dụng xác thực"


def may_use_second_factor(user) -> bool:
    return user.is_authenticated and has_role(user, *settings.SECOND_FACTOR_ROLES)


@receiver(user_logged_in, dispatch_uid="khuyencong_second_factor_flag")
def remember_second_factor(sender, request, user, **kwargs) -> None:
    """Read once at login whether this user must pass a second factor (see SecondFactorMiddleware)."""
    if request is not None and hasattr(request, "session"):
        request.session[SecondFactorMiddleware.SESSION_KEY] = user_has_device(user, confirmed=True)


class TokenForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Mã xác thực (6 chữ số)"),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )

    def __init__(self, *args, devices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.devices = list(devices)
        self.device = None

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].strip().replace(" ", "")
        for device in self.devices:
            allowed, _info = device.verify_is_allowed()
            if not allowed:
                raise forms.ValidationError(_("Nhập sai quá nhiều lần; vui lòng đợi ít phút rồi thử lại."))
            if device.verify_token(token):
                self.device = device
                return token
        raise forms.ValidationError(_("Mã xác thực không đúng hoặc đã hết hạn."))


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("home")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Ask for the code of the user's confirmed device, then go on to the page they wanted."""
    devices = TOTPDevice.objects.devices_for_user(request.user, confirmed=True)
    form = TokenForm(request.POST or None, devices=devices)
    if request.method == "POST" and form.is_valid():
        otp_login(request, form.device)
        return redirect(_safe_next(request))
    return render(request, "security/verify.html", {"form": form, "next": _safe_next(request)})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def setup(request: HttpRequest) -> HttpResponse:
    """Turn the second factor on: show the key (and its QR code), confirm with one code from the app."""
    if not may_use_second_factor(request.user):
        raise PermissionDenied
    confirmed = TOTPDevice.objects.devices_for_user(request.user, confirmed=True).first()
    if confirmed is not None:
        return render(request, "security/setup.html", {"enabled": True, "form": TokenForm()})
    device, _created = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": DEVICE_NAME}
    )
    form = TokenForm(request.POST or None, devices=[device])
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            device.confirmed = True
            device.save(update_fields=["confirmed"])
        otp_login(request, device)
        request.session[SecondFactorMiddleware.SESSION_KEY] = True
        messages.success(request, _("Đã bật xác thực hai lớp cho tài khoản."))
        return redirect("two_factor:setup")
    return render(
        request,
        "security/setup.html",
        {
            "enabled": False,
            "form": form,
            "secret": b32encode(device.bin_key).decode(),
            "qr": segno.make(device.config_url, error="m").svg_data_uri(scale=4),
        },
    )


@never_cache
@login_required
@require_POST
def disable(request: HttpRequest) -> HttpResponse:
    """Turn the second factor off; asks for a current code so a borrowed session cannot do it."""
    if not may_use_second_factor(request.user):
        raise PermissionDenied
    devices = TOTPDevice.objects.devices_for_user(request.user, confirmed=True)
    form = TokenForm(request.POST, devices=devices)
    if form.is_valid():
        TOTPDevice.objects.filter(user=request.user).delete()
        request.session[SecondFactorMiddleware.SESSION_KEY] = False
        messages.success(request, _("Đã tắt xác thực hai lớp."))
        return redirect("two_factor:setup")
    return render(request, "security/setup.html", {"enabled": True, "form": form}, status=400)


urlpatterns = [
    path("xac-thuc-hai-lop/", setup, name="setup"),
    path("xac-thuc-hai-lop/tat/", disable, name="disable"),
    path("xac-minh/", verify, name="verify"),
]
