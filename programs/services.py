"""Writes about programmes: the achieved figure of a target tracked by hand."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role, has_role
from accounts.scoping import user_province_id

from .models import Programme, ProgrammeTarget


def can_record_target(user, target: ProgrammeTarget) -> bool:
    """The Sở's officers and leaders of the programme's province (its own programme; the Ministry reads)."""
    if not has_role(user, Role.OFFICER, Role.LEADER):
        return False
    province = target.programme.province
    if province is None:
        return False
    return user_province_id(user) == (province.current_province_id or province.pk)


@transaction.atomic
def target_record_achieved(
    *, actor, target: ProgrammeTarget, achieved: int, note: str, on: datetime.date | None = None
) -> ProgrammeTarget:
    """Enter the achieved figure of a target tracked by hand, with what it rests on; the audit trail keeps
    each earlier figure (old → new, who, when)."""
    locked = (
        ProgrammeTarget.objects.select_for_update(of=("self",))
        .select_related("programme__province")
        .get(pk=target.pk)
    )
    if not Programme.objects.visible_to(actor).filter(pk=locked.programme_id).exists():
        raise PermissionDenied
    if not can_record_target(actor, locked):
        raise PermissionDenied(_("Bạn không có quyền cập nhật kết quả chỉ tiêu này."))
    errors = []
    if not locked.tracked_by_hand:
        errors.append(_("Chỉ tiêu này được cộng từ đầu ra của các đề án, không nhập tay."))
    if not isinstance(achieved, int) or isinstance(achieved, bool) or achieved < 0:
        errors.append(_("Kết quả đạt được phải là số nguyên không âm."))
    if not (note or "").strip():
        errors.append(_("Cần ghi căn cứ của kết quả (báo cáo, văn bản)."))
    if errors:
        raise ValidationError(errors)
    locked.achieved_by_hand = achieved
    locked.achieved_note = note.strip()
    locked.achieved_on = on or timezone.localdate()
    locked.full_clean()
    locked.save(update_fields=["achieved_by_hand", "achieved_note", "achieved_on"])
    return locked
