"""Vietnamese section and model names in the admin for the libraries that ship none (django-axes,
django-auditlog, django-otp). Only the admin's lists are renamed: the libraries' models stay as they are,
so no migration of theirs changes."""

from django.utils.translation import gettext_lazy as _

from .vn_text import fold_accents

APP_NAMES = {
    "auditlog": _("Nhật ký thay đổi"),
    "axes": _("Đăng nhập và khóa tài khoản"),
    "otp_totp": _("Xác thực hai lớp"),
}

MODEL_NAMES = {
    ("auditlog", "LogEntry"): _("Dòng nhật ký thay đổi"),
    ("axes", "AccessAttempt"): _("Đăng nhập sai đang theo dõi"),
    ("axes", "AccessFailureLog"): _("Lần đăng nhập sai"),
    ("axes", "AccessLog"): _("Lần đăng nhập"),
    ("otp_totp", "TOTPDevice"): _("Thiết bị tạo mã (TOTP)"),
}


def install(site) -> None:
    """Rename the sections of `site`'s index, app pages and side menu, sorted again by their new names
    (Vietnamese order: Đ with D, not after Z)."""
    original = site.get_app_list

    def get_app_list(request, app_label=None):
        app_list = original(request, app_label)
        for app in app_list:
            app["name"] = APP_NAMES.get(app["app_label"], app["name"])
            for model in app["models"]:
                model["name"] = MODEL_NAMES.get((app["app_label"], model["object_name"]), model["name"])
            app["models"].sort(key=lambda m: fold_accents(str(m["name"])))
        return sorted(app_list, key=lambda a: fold_accents(str(a["name"])))

    site.get_app_list = get_app_list
