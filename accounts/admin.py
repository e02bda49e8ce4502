from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.utils.translation import gettext_lazy as _

from .models import StaffProfile
from .names import person_name, split_person_name

User = get_user_model()


class StaffProfileInline(admin.StackedInline):
    model = StaffProfile
    can_delete = False
    autocomplete_fields = ["agency"]


class PersonNameChangeForm(UserChangeForm):
    """The user's name taken whole, as it is written (family name first), instead of Django's two parts."""

    full_name = forms.CharField(
        label=_("Họ và tên"),
        max_length=300,
        required=False,
        help_text=_("Viết như trên giấy tờ, họ trước tên sau: Nguyễn Văn An."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["full_name"].initial = " ".join(
                p for p in (self.instance.last_name, self.instance.first_name) if p
            )

    def save(self, commit=True):
        self.instance.last_name, self.instance.first_name = split_person_name(self.cleaned_data["full_name"])
        return super().save(commit=commit)


admin.site.unregister(User)


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    form = PersonNameChangeForm
    inlines = [StaffProfileInline]
    list_display = ["username", "name", "agency", "is_active", "is_staff"]
    list_select_related = ["staff_profile__agency"]
    search_fields = ["username", "last_name", "first_name", "email"]
    ordering = ["username"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Thông tin cá nhân"), {"fields": ("full_name", "email")}),
        (
            _("Quyền"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Thời điểm"), {"fields": ("last_login", "date_joined")}),
    )

    @admin.display(description=_("họ và tên"), ordering="last_name")
    def name(self, obj):
        return person_name(obj)

    @admin.display(description=_("cơ quan"))
    def agency(self, obj):
        profile = getattr(obj, "staff_profile", None)
        return profile.agency if profile else "—"
