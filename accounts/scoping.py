"""Province scoping: every user sees only the records of their own province, the Ministry sees all.

Views fetch through `visible_to(user)` querysets built on `province_filter`, so a record of another
province answers 404 exactly like one that does not exist.
"""

from django.db.models import Q

from .roles import MINISTRY_ROLES, user_roles

NOTHING = Q(pk__in=[])


def user_province_id(user) -> int | None:
    """Today's province of the user's agency; None for national users or users without an agency."""
    if not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, "_khuyencong_province_id", "unset")
    if cached == "unset":
        profile = getattr(user, "staff_profile", None) if hasattr(user, "staff_profile") else None
        province = profile.agency.province if profile is not None else None
        # An agency recorded on a unit of the old map (e.g. Sở Công Thương Thái Bình) works in today's province.
        cached = (province.current_province_id or province.pk) if province is not None else None
        user._khuyencong_province_id = cached
    return cached


def sees_all_provinces(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser or MINISTRY_ROLES & user_roles(user):
        return True
    profile = getattr(user, "staff_profile", None) if hasattr(user, "staff_profile") else None
    return profile is not None and profile.agency.province_id is None


def province_filter(user, path: str) -> Q:
    """Limit rows to the user's province; `path` leads to a provincial unit of today's map."""
    if sees_all_provinces(user):
        return Q()
    province_id = user_province_id(user)
    if province_id is None:
        return NOTHING
    return Q(**{path: province_id})
