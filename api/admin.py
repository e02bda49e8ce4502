"""Keys are issued and revoked here by a system administrator; the key is shown once, then only its hash
is kept."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role, has_role

from .models import ApiToken, ApiWrite
from .services import api_token_issue, api_token_revoke


class IssueForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ["system_name", "agency", "access"]

    def clean(self):
        data = super().clean()
        agency = data.get("agency")
        if agency is None and data.get("access") != ApiToken.Access.READ:
            self.add_error("access", _("Khóa toàn quốc chỉ được đọc."))
        if agency is not None and agency.province_id is None:
            self.add_error("agency", _("Cơ quan cấp Bộ: hãy để trống (khóa toàn quốc, chỉ đọc)."))
        return data


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    form = IssueForm
    list_display = ["system_name", "prefix", "province", "access", "issued_at", "last_used_at", "revoked_at"]
    list_filter = ["access", "revoked_at"]
    search_fields = ["system_name", "prefix"]
    readonly_fields = ["prefix", "province", "user", "issued_by", "issued_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def has_module_permission(self, request) -> bool:
        return has_role(request.user, Role.ADMIN)

    def has_view_permission(self, request, obj=None) -> bool:
        return has_role(request.user, Role.ADMIN)

    def has_add_permission(self, request) -> bool:
        return has_role(request.user, Role.ADMIN)

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # revoke instead: the writes log keeps pointing at the key

    def get_fields(self, request, obj=None):
        return ["system_name", "agency", "access"] if obj is None else super().get_fields(request, obj)

    def save_model(self, request, obj, form, change):
        try:
            token, raw = api_token_issue(
                actor=request.user,
                system_name=form.cleaned_data["system_name"],
                agency=form.cleaned_data.get("agency"),
                access=form.cleaned_data["access"],
            )
        except (ValidationError, PermissionDenied) as error:
            raise PermissionDenied(str(error)) from error
        obj.pk = token.pk
        messages.warning(
            request,
            gettext("Khóa API của «%(name)s» (chỉ hiện một lần, hãy lưu lại ngay): %(key)s")
            % {"name": token.system_name, "key": raw},
        )

    @admin.action(description=_("Thu hồi khóa đã chọn"))
    def revoke(self, request, queryset):
        for token in queryset:
            api_token_revoke(actor=request.user, token=token)
        messages.success(request, gettext("Đã thu hồi %(n)s khóa.") % {"n": queryset.count()})


@admin.register(ApiWrite)
class ApiWriteAdmin(admin.ModelAdmin):
    list_display = ["at", "system_name", "method", "path", "object_ref", "status_code"]
    list_filter = ["system_name", "method", "status_code"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
