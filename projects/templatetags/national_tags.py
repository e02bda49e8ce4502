"""Template filters for the national programme's pages (booleans from the user's roles, no query)."""

from django import template

from accounts.roles import MINISTRY_ROLES, Role, has_role

register = template.Library()


@register.filter
def has_ministry_desk(user) -> bool:
    """The Ministry's roles and administrators have the national programme's desk."""
    return has_role(user, *MINISTRY_ROLES, Role.ADMIN)
