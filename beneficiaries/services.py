"""Writes about beneficiaries."""

from typing import Any

from django.core.exceptions import ValidationError
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
