"""The portal's authentication backend: Django's ModelBackend, loading on each request in one query the user
with what every page asks about them — their agency and its province (the province scope) and which role
groups they belong to — instead of three to five small queries per page."""

from functools import cache

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Case, IntegerField, OuterRef, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce

from .roles import GROUP_NAMES, ROLE_BITS, ROLE_MASK


@cache
def user_with_scope():
    """Users with staff profile, agency and province joined, and their role groups as one bit mask
    (accounts.roles.ROLE_BITS). Built once per process: the queryset is only ever cloned (get, filter), and
    putting it together cost more than the query itself on every request."""
    User = get_user_model()
    bits = Case(
        *(When(group__name=GROUP_NAMES[code], then=Value(bit)) for code, bit in ROLE_BITS.items()),
        default=Value(0),
        output_field=IntegerField(),
    )
    mask = (
        User.groups.through.objects.filter(user_id=OuterRef("pk"))
        .order_by()
        .values("user_id")
        .annotate(mask=Sum(bits))
        .values("mask")
    )
    return User._default_manager.select_related("staff_profile__agency__province").annotate(
        **{ROLE_MASK: Coalesce(Subquery(mask, output_field=IntegerField()), Value(0))}
    )


class PortalBackend(ModelBackend):
    def get_user(self, user_id):
        try:
            user = user_with_scope().get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
