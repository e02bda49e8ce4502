from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from .models import StaffProfile

User = get_user_model()


class StaffProfileInline(admin.StackedInline):
    model = StaffProfile
    can_delete = False
    autocomplete_fields = ["agency"]


admin.site.unregister(User)


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    inlines = [StaffProfileInline]
    list_display = ["username", "first_name", "last_name", "agency", "is_active", "is_staff"]
    list_select_related = ["staff_profile__agency"]

    @admin.display(description="cơ quan")
    def agency(self, obj):
        profile = getattr(obj, "staff_profile", None)
        return profile.agency if profile else "—"
