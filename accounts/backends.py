"""The portal's authentication backend: Django's ModelBackend, loading on each request in one query the user
with what every page asks about them — their agency and its province (the province scope) and which role
groups they belong to — instead of three to five small queries per page."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Exists, OuterRef

from .roles import GROUP_NAMES, role_flag


def user_with_scope():
    """Users with staff profile, agency and province joined, and one flag per role group."""
    User = get_user_model()
    memberships = User.groups.through.objects.filter(user_id=OuterRef("pk"))
    flags = {
        role_flag(code): Exists(memberships.filter(group__name=name)) for code, name in GROUP_NAMES.items()
    }
    return User._default_manager.select_related("staff_profile__agency__province").annotate(**flags)


class PortalBackend(ModelBackend):
    def get_user(self, user_id):
        try:
            user = user_with_scope().get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
