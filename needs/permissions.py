"""Who may answer a registered need: the officers and the centre's staff of the need's province."""

from accounts.roles import Role, has_role
from accounts.scoping import user_province_id


def can_triage_need(user, need) -> bool:
    return has_role(user, Role.OFFICER, Role.CENTRE) and user_province_id(user) == need.province_id
