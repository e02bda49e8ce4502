"""Who prepares a province's annual plan (its officers and the centre) and who approves it (leadership)."""

from accounts.roles import Role, has_role
from accounts.scoping import user_province_id


def _own(user, plan) -> bool:
    province = plan.province.today_province() or plan.province
    return user_province_id(user) == province.pk


def can_prepare_plan(user, plan) -> bool:
    return has_role(user, Role.OFFICER, Role.CENTRE) and _own(user, plan)


def can_create_plan(user) -> bool:
    return has_role(user, Role.OFFICER, Role.CENTRE) and user_province_id(user) is not None


def can_approve_plan(user, plan) -> bool:
    return has_role(user, Role.LEADER) and _own(user, plan)
