"""Writes about needs: registration from the public page, and the staff's answers (accept, merge with a
recorded establishment, decline with a reason, or turn into a draft đề án)."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from beneficiaries.models import Beneficiary
from beneficiaries.services import beneficiary_create
from khuyencong.vn_text import fold_accents
from places.models import AdministrativeUnit
from programs.models import AnnualPlan, FundingSource
from projects.models import Project
from projects.services.entry import project_save_draft

from .models import Need, NeedStatus, NeedTransition
from .permissions import can_triage_need

_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud over the phone without doubt


def new_receipt_code() -> str:
    body = "".join(secrets.choice(_ALPHABET) for _ in range(8))
    return f"NC-{body[:4]}-{body[4:]}"


def _window() -> int:
    return int(getattr(settings, "NEEDS_DUPLICATE_WINDOW", 600))


def _fingerprint(data: dict[str, Any], unit: AdministrativeUnit) -> str:
    parts = [
        fold_accents(data["name"]),
        data.get("tax_code") or "",
        data.get("phone") or "",
        (data.get("email") or "").lower(),
        str(unit.pk),
        str(data["content"].pk),
        fold_accents(data["description"]),
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _today_unit(unit: AdministrativeUnit) -> AdministrativeUnit | None:
    """Today's commune for a commune of either map (None when an old one was split among several)."""
    if unit.is_current:
        return unit
    successors = [u for u in unit.successors.all() if u.is_current and u.level == unit.level]
    return successors[0] if len(successors) == 1 else None


def need_register(*, data: dict[str, Any], consent_text: str) -> tuple[Need, bool]:
    """Record a need from the public page (no actor: the registrant has no account). The same need sent
    again within the duplicate window returns the first one instead of a second row: (need, created)."""
    unit: AdministrativeUnit = data["unit"]
    province = unit.today_province()
    if province is None:
        raise ValidationError(
            {"commune": _("Không xác định được tỉnh/thành phố hiện nay của xã/phường này.")}
        )
    fingerprint = _fingerprint(data, unit)
    now = timezone.now()
    since = now - datetime.timedelta(seconds=_window())
    earlier = (
        Need.objects.filter(fingerprint=fingerprint, created_at__gte=since).order_by("created_at").first()
    )
    if earlier is not None:
        return earlier, False
    need = Need(
        receipt_code=new_receipt_code(),
        name=data["name"],
        kind=data["kind"],
        tax_code=data.get("tax_code") or "",
        representative=data["representative"],
        phone=data.get("phone") or "",
        email=data.get("email") or "",
        address=data.get("address") or "",
        commune_text=data["commune_text"],
        unit_at_time=unit,
        current_unit=_today_unit(unit),
        province=province,
        content=data["content"],
        description=data["description"],
        estimated_cost=data.get("estimated_cost"),
        consent_text=consent_text,
        fingerprint=fingerprint,
        # Two identical posts racing each other meet on this key (one per window), so one row is stored.
        dedupe_key=f"{fingerprint}:{int(now.timestamp()) // _window()}",
    )
    need.full_clean(exclude=["dedupe_key"])  # a race on the key is settled by the database below
    try:
        with transaction.atomic():
            need.save()
    except IntegrityError:
        return Need.objects.get(dedupe_key=need.dedupe_key), False
    return need, True


def _locked(actor, need: Need) -> Need:
    need = Need.objects.select_for_update().get(pk=need.pk)
    if not can_triage_need(actor, need):
        raise PermissionDenied(_("Bạn không có quyền xử lý nhu cầu này."))
    return need


def _move(actor, need: Need, status: str, comment: str = "") -> None:
    from_status = need.status
    need.transition_to(status)
    need.save()
    NeedTransition.objects.create(
        need=need, actor=actor, from_status=from_status, to_status=status, comment=comment
    )


def _record_beneficiary(actor, need: Need) -> Beneficiary:
    """The need's establishment recorded as a new cơ sở (refused when its tax code is already recorded)."""
    if (
        need.tax_code
        and Beneficiary.objects.filter(tax_code=need.tax_code, province_id=need.province_id).exists()
    ):
        raise ValidationError(
            _("Mã số thuế %(code)s đã có trong danh sách cơ sở: hãy hợp nhất với cơ sở đó.")
            % {"code": need.tax_code}
        )
    return beneficiary_create(
        actor=actor,
        data={
            "province_id": need.province_id,
            "name": need.name,
            "kind": need.kind,
            "tax_code": need.tax_code or None,
            "representative": need.representative,
            "phone": need.phone,
            "email": need.email,
            "address": need.address,
            "unit_at_time": need.unit_at_time,
            "current_unit": need.current_unit,
            "source_note": _("Đăng ký nhu cầu %(code)s") % {"code": need.receipt_code},
        },
    )


@transaction.atomic
def need_accept(*, actor, need: Need) -> Need:
    """Accept a need and record its establishment as a new cơ sở (audited)."""
    need = _locked(actor, need)
    if need.status != NeedStatus.RECEIVED:
        raise ValidationError(_("Nhu cầu đã được xử lý."))
    need.beneficiary = _record_beneficiary(actor, need)
    _move(
        actor,
        need,
        NeedStatus.ACCEPTED,
        _("Ghi nhận cơ sở mới «%(name)s».") % {"name": need.beneficiary.name},
    )
    return need


@transaction.atomic
def need_merge(*, actor, need: Need, beneficiary: Beneficiary) -> Need:
    """Accept a need as coming from an establishment already recorded; two different tax codes never merge."""
    need = _locked(actor, need)
    if need.status != NeedStatus.RECEIVED:
        raise ValidationError(_("Nhu cầu đã được xử lý."))
    beneficiary = (
        Beneficiary.objects.visible_to(actor).filter(province_id=need.province_id).get(pk=beneficiary.pk)
    )
    if need.tax_code and beneficiary.tax_code and need.tax_code != beneficiary.tax_code:
        raise ValidationError(
            _("Không hợp nhất được: mã số thuế đăng ký %(need)s khác mã số thuế của cơ sở %(recorded)s.")
            % {"need": need.tax_code, "recorded": beneficiary.tax_code}
        )
    need.beneficiary = beneficiary
    _move(
        actor,
        need,
        NeedStatus.ACCEPTED,
        _("Hợp nhất với cơ sở «%(name)s» (mã %(pk)s).") % {"name": beneficiary.name, "pk": beneficiary.pk},
    )
    return need


@transaction.atomic
def need_decline(*, actor, need: Need, reason: str) -> Need:
    """Decline a need; the reason is shown to the registrant on the status page."""
    need = _locked(actor, need)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Cần ghi lý do để cơ sở biết.")})
    need.decline_reason = reason
    _move(actor, need, NeedStatus.DECLINED, reason)
    return need


def _plan_source(plan: AnnualPlan) -> FundingSource | None:
    return FundingSource.objects.filter(code=plan.kind).first()


@transaction.atomic
def need_propose(*, actor, need: Need, plan: AnnualPlan) -> Project:
    """Turn a need into a draft đề án of a plan, pre-filled from it (content, place, establishment, the
    estimated cost as one budget line on the plan's source), through the đề án entry service."""
    need = _locked(actor, need)
    if need.status not in (NeedStatus.RECEIVED, NeedStatus.ACCEPTED):
        raise ValidationError(_("Nhu cầu đã được xử lý."))
    if need.beneficiary is None:
        need.beneficiary = _record_beneficiary(actor, need)
    source = _plan_source(plan)
    budget_lines = []
    if need.estimated_cost:
        budget_lines.append(
            {
                "source": source,
                "content": need.content,
                "expense_item": _("Kinh phí dự kiến theo nhu cầu đăng ký %(code)s")
                % {"code": need.receipt_code},
                "amount": need.estimated_cost,
            }
        )
    title = _("%(content)s: %(name)s") % {"content": need.content.short_name, "name": need.name}
    project = project_save_draft(
        actor=actor,
        data={
            "title": title[:400],
            "plan": plan,
            "need_and_basis": need.description,
            "site_address": ", ".join(
                p for p in [need.address, str(need.current_unit or need.unit_at_time)] if p
            ),
        },
        contents=[need.content],
        sites=[need.current_unit] if need.current_unit else [],
        beneficiaries=[{"beneficiary": need.beneficiary, "support_amount": 0}],
        budget_lines=budget_lines,
        outputs=[],
    )
    need.project = project
    _move(actor, need, NeedStatus.PROPOSED, _("Dự thảo đề án %(code)s.") % {"code": project.code})
    return project
