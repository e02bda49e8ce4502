"""Issuing and revoking the keys of other systems (the system administrator's work)."""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import StaffProfile
from accounts.roles import GROUP_NAMES, Role, has_role

from .models import ApiToken, hash_key

KEY_PREFIX = "kc_"


@transaction.atomic
def api_token_issue(
    *, actor, system_name: str, agency=None, access: str = ApiToken.Access.READ
) -> tuple[ApiToken, str]:
    """Issue a key to a named system: a province's (through an agency of it) or national and read-only.
    Creates the system's own account (no password, no web login); returns the token and the key, shown once."""
    if not has_role(actor, Role.ADMIN):
        raise PermissionDenied(_("Chỉ quản trị hệ thống được cấp khóa API."))
    system_name = (system_name or "").strip()
    if not system_name:
        raise ValidationError({"system_name": _("Cần nêu tên hệ thống được cấp khóa.")})
    if agency is None and access != ApiToken.Access.READ:
        raise ValidationError({"access": _("Khóa toàn quốc chỉ được đọc.")})
    if agency is not None and agency.province_id is None:
        raise ValidationError({"agency": _("Cơ quan cấp Bộ: hãy để trống (khóa toàn quốc, chỉ đọc).")})
    raw = KEY_PREFIX + secrets.token_urlsafe(32)
    prefix = raw[len(KEY_PREFIX) : len(KEY_PREFIX) + 8]
    User = get_user_model()
    user = User(
        username=f"api-{slugify(system_name)[:40]}-{prefix}", first_name=system_name[:150], is_active=True
    )
    user.set_unusable_password()
    user.save()
    if agency is not None:
        StaffProfile.objects.create(user=user, agency=agency, position=_("Hệ thống kết nối qua API"))
        roles = [Role.OFFICER, Role.CENTRE] if access == ApiToken.Access.READ_WRITE else []
    else:
        roles = [Role.MINISTRY]
    for role in roles:
        user.groups.add(Group.objects.get_or_create(name=GROUP_NAMES[role])[0])
    province = agency.province.today_province() or agency.province if agency is not None else None
    token = ApiToken(
        system_name=system_name,
        agency=agency,
        province=province,
        access=access,
        user=user,
        prefix=prefix,
        key_hash=hash_key(raw),
        issued_by=actor,
    )
    token.full_clean(exclude=["user", "issued_by", "province"])
    token.save()
    return token, raw


@transaction.atomic
def api_token_revoke(*, actor, token: ApiToken) -> ApiToken:
    """Revoke a key at once: its next request is refused; its account is deactivated."""
    if not has_role(actor, Role.ADMIN):
        raise PermissionDenied(_("Chỉ quản trị hệ thống được thu hồi khóa API."))
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        token.user.is_active = False
        token.user.save(update_fields=["is_active"])
    return token
