"""Who may import: province staff who enter data (officers, the centre) and administrators."""

from __future__ import annotations

from accounts.roles import Role, has_role
from accounts.scoping import sees_all_provinces, user_province_id

IMPORT_ROLES = (Role.OFFICER, Role.CENTRE, Role.ADMIN)


def can_import(user) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if not has_role(user, *IMPORT_ROLES):
        return False
    # A read-only national user never writes; a provincial one needs an agency of a province.
    return sees_all_provinces(user) and has_role(user, Role.ADMIN) or user_province_id(user) is not None


def can_use_job(user, job) -> bool:
    return can_import(user) and job.owner_id == user.pk
