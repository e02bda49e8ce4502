"""Writes about beneficiaries."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.scoping import user_province_id

from .models import Beneficiary


@transaction.atomic
def beneficiary_create(*, actor, data: dict[str, Any]) -> Beneficiary:
    """Record a new establishment in the actor's province (validated in full, tax code unique)."""
    province_id = data.get("province_id") or user_province_id(actor)
    if province_id is None:
        raise ValidationError(_("Tài khoản chưa gắn với tỉnh/thành phố nên không thể thêm cơ sở."))
    fields = {k: v for k, v in data.items() if k != "province_id" and v is not None}
    beneficiary = Beneficiary(province_id=province_id, **fields)
    beneficiary.clean()
    beneficiary.full_clean()
    beneficiary.save()
    return beneficiary


def can_edit_beneficiary(user, beneficiary: Beneficiary) -> bool:
    """The officers and the centre of the establishment's province keep its record."""
    from accounts.roles import Role, has_role

    return has_role(user, Role.OFFICER, Role.CENTRE) and user_province_id(user) == beneficiary.province_id


@transaction.atomic
def beneficiary_update(*, actor, beneficiary: Beneficiary, data: dict[str, Any]) -> Beneficiary:
    """Correct an establishment's record (validated in full, tax code unique); audited by the audit trail."""
    beneficiary = Beneficiary.objects.select_for_update().get(pk=beneficiary.pk)
    if not can_edit_beneficiary(actor, beneficiary):
        raise PermissionDenied(_("Bạn không có quyền sửa cơ sở này."))
    for field, value in data.items():
        setattr(beneficiary, field, value)
    beneficiary.clean()
    beneficiary.full_clean()
    beneficiary.save()
    return beneficiary


@transaction.atomic
def certification_save(*, actor, beneficiary: Beneficiary, certification=None, data: dict[str, Any]):
    """Record or correct a certification (CNNT tiêu biểu level, OCOP stars) with issuer, date and expiry."""
    from .models import Certification

    beneficiary = Beneficiary.objects.select_for_update().get(pk=beneficiary.pk)
    if not can_edit_beneficiary(actor, beneficiary):
        raise PermissionDenied(_("Bạn không có quyền sửa cơ sở này."))
    if certification is None:
        certification = Certification(beneficiary=beneficiary)
    elif certification.beneficiary_id != beneficiary.pk:
        raise PermissionDenied
    for field, value in data.items():
        setattr(certification, field, value)
    errors = {}
    if certification.scheme == Certification.Scheme.OCOP and not certification.stars:
        errors["stars"] = _("Chứng nhận OCOP cần số sao (1 đến 5).")
    if certification.scheme == Certification.Scheme.CNNT and certification.stars:
        errors["stars"] = _("Sản phẩm CNNT tiêu biểu không xếp sao; hãy chọn cấp công nhận.")
    if certification.scheme == Certification.Scheme.CNNT and not certification.level:
        errors["level"] = _("Cần cấp công nhận (huyện/tỉnh, khu vực, quốc gia).")
    if errors:
        raise ValidationError(errors)
    certification.full_clean()
    certification.save()
    return certification


@transaction.atomic
def certification_delete(*, actor, certification) -> None:
    beneficiary = Beneficiary.objects.select_for_update().get(pk=certification.beneficiary_id)
    if not can_edit_beneficiary(actor, beneficiary):
        raise PermissionDenied(_("Bạn không có quyền sửa cơ sở này."))
    certification.delete()
