"""The portal's roles. Each is a Django group (created by `setup_roles`); the code names never change,
the group names are what administrators see."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICER = "officer", _("Chuyên viên Sở Công Thương")
    APPRAISER = "appraiser", _("Thành viên hội đồng thẩm định")
    LEADER = "leader", _("Lãnh đạo Sở Công Thương")
    CENTRE = "centre", _("Cán bộ Trung tâm Khuyến công")
    MINISTRY = "ministry", _("Bộ Công Thương (chỉ xem)")
    CUC_OFFICER = "cuc_officer", _("Chuyên viên Cục (Bộ Công Thương)")
    CUC_COUNCIL = "cuc_council", _("Thành viên hội đồng thẩm định của Bộ")
    CUC_LEADER = "cuc_leader", _("Lãnh đạo Cục/Bộ Công Thương")
    ADMIN = "admin", _("Quản trị hệ thống")


# Group names as stored in the database (Vietnamese, stable).
GROUP_NAMES: dict[str, str] = {
    Role.OFFICER: "Chuyên viên Sở Công Thương",
    Role.APPRAISER: "Thành viên hội đồng thẩm định",
    Role.LEADER: "Lãnh đạo Sở Công Thương",
    Role.CENTRE: "Cán bộ Trung tâm Khuyến công",
    Role.MINISTRY: "Bộ Công Thương (chỉ xem)",
    Role.CUC_OFFICER: "Chuyên viên Cục (Bộ Công Thương)",
    Role.CUC_COUNCIL: "Thành viên hội đồng thẩm định của Bộ",
    Role.CUC_LEADER: "Lãnh đạo Cục/Bộ Công Thương",
    Role.ADMIN: "Quản trị hệ thống",
}

# The Ministry's roles that act, on national đề án only (on local đề án every Ministry role reads only).
MINISTRY_ACTING_ROLES: frozenset[str] = frozenset({Role.CUC_OFFICER, Role.CUC_COUNCIL, Role.CUC_LEADER})
# Every Ministry role: each sees every province.
MINISTRY_ROLES: frozenset[str] = MINISTRY_ACTING_ROLES | {Role.MINISTRY}


# Each role's bit in the mask accounts.backends.user_with_scope reads with the user (one subquery, whatever
# the number of roles): the position of its code in GROUP_NAMES.
ROLE_BITS: dict[str, int] = {code: 1 << position for position, code in enumerate(GROUP_NAMES)}
ROLE_MASK = "_role_mask"


def roles_from_mask(user) -> frozenset[str] | None:
    """The role codes read from the mask `user_with_scope` annotated, or None for a user loaded otherwise."""
    mask = getattr(user, ROLE_MASK, None)
    if mask is None:
        return None
    return frozenset(code for code, bit in ROLE_BITS.items() if mask & bit)


def user_roles(user) -> frozenset[str]:
    """The role codes a user holds (cached on the user object for the request)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_khuyencong_roles", None)
    if cached is None:
        cached = roles_from_mask(user)
        if cached is None:
            by_name = {name: code for code, name in GROUP_NAMES.items()}
            cached = frozenset(by_name[g] for g in user.groups.values_list("name", flat=True) if g in by_name)
        if user.is_superuser:
            cached = cached | {Role.ADMIN}
        user._khuyencong_roles = cached
    return cached


def has_role(user, *roles: str) -> bool:
    return bool(user_roles(user) & set(roles))
