"""Who may issue and sign a report: the leadership of the issuing agency (the Sở's leaders for a province's
reports; leaders of a national agency for the Ministry's), and administrators."""

from __future__ import annotations

from accounts.roles import Role, has_role
from accounts.scoping import sees_all_provinces, user_province_id


def can_issue(user, province) -> bool:
    """`province`: the issuing Sở's province, or None for the Ministry's department."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if not has_role(user, Role.LEADER):
        return False
    if province is None:
        return sees_all_provinces(user)
    return user_province_id(user) == province.pk


def can_sign(user, issued) -> bool:
    return can_issue(user, issued.province)
