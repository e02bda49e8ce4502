"""Merging two records of one establishment: every link moves to the record kept, the other record is
removed, and what was done is kept so that an administrator can undo it."""

from __future__ import annotations

from django.core import serializers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role, has_role
from beneficiaries.models import Beneficiary
from beneficiaries.services import can_edit_beneficiary
from projects.models import ProjectBeneficiary

from .models import BeneficiaryMerge

_LINK_MONEY = ("support_amount", "counterpart_amount")


def _relations():
    """Every one-to-many link to an establishment (đề án links handled apart: they may meet a duplicate)."""
    for relation in Beneficiary._meta.related_objects:
        if relation.one_to_many and relation.related_model is not ProjectBeneficiary:
            if relation.related_model is BeneficiaryMerge:
                continue
            yield relation


def can_undo_merge(user) -> bool:
    return bool(getattr(user, "is_superuser", False)) or has_role(user, Role.ADMIN)


@transaction.atomic
def beneficiary_merge(*, actor, kept: Beneficiary, removed: Beneficiary) -> BeneficiaryMerge:
    """Merge `removed` into `kept`; refused for two different tax codes. Both records are locked first."""
    if kept.pk == removed.pk:
        raise ValidationError(_("Hãy chọn hai cơ sở khác nhau."))
    locked = {b.pk: b for b in Beneficiary.objects.select_for_update().filter(pk__in=[kept.pk, removed.pk])}
    kept, removed = locked[kept.pk], locked[removed.pk]
    if not (can_edit_beneficiary(actor, kept) and can_edit_beneficiary(actor, removed)):
        raise PermissionDenied(_("Bạn không có quyền hợp nhất các cơ sở này."))
    if kept.tax_code and removed.tax_code and kept.tax_code != removed.tax_code:
        raise ValidationError(
            _("Không hợp nhất được: hai cơ sở có hai mã số thuế khác nhau (%(a)s và %(b)s).")
            % {"a": kept.tax_code, "b": removed.tax_code}
        )
    snapshot = serializers.serialize("python", [removed])[0]["fields"]
    moved: dict[str, list] = {"links": []}
    for link in ProjectBeneficiary.objects.select_for_update().filter(beneficiary=removed):
        record = {
            "id": link.pk,
            "project": link.project_id,
            "note": link.note,
            "counterpart_committed": link.counterpart_committed,
            **{f: getattr(link, f) for f in _LINK_MONEY},
            "joined_into": None,
        }
        twin = ProjectBeneficiary.objects.filter(project_id=link.project_id, beneficiary=kept).first()
        if twin is not None:
            # Both records were in the same đề án: one establishment, so one link with both amounts.
            for field in _LINK_MONEY:
                setattr(twin, field, getattr(twin, field) + getattr(link, field))
            twin.counterpart_committed = twin.counterpart_committed or link.counterpart_committed
            twin.full_clean()
            twin.save()
            record["joined_into"] = twin.pk
            link.delete()
        else:
            link.beneficiary = kept
            link.save()
        moved["links"].append(record)
    for relation in _relations():
        model, field = relation.related_model, relation.field.name
        ids = list(model.objects.filter(**{field: removed}).values_list("pk", flat=True))
        for row in model.objects.filter(pk__in=ids):
            setattr(row, field, kept)
            row.save()  # one by one, so the audit trail records each
        moved[model._meta.label] = ids
    tax_code_moved = bool(removed.tax_code and not kept.tax_code)
    removed_pk = removed.pk
    removed.delete()
    if tax_code_moved:
        kept.tax_code = snapshot["tax_code"]
        kept.save()
    return BeneficiaryMerge.objects.create(
        kept=kept,
        removed_id=removed_pk,
        removed_name=snapshot["name"],
        removed_data=snapshot,
        moved=moved,
        tax_code_moved=tax_code_moved,
        actor=actor,
    )


@transaction.atomic
def beneficiary_merge_undo(*, actor, merge: BeneficiaryMerge) -> Beneficiary:
    """An administrator undoes a merge: the removed record comes back with its own pk and every link
    moved back (a joined đề án link is split again with the amounts it had)."""
    if not can_undo_merge(actor):
        raise PermissionDenied(_("Chỉ quản trị hệ thống được hoàn tác hợp nhất."))
    merge = BeneficiaryMerge.objects.select_for_update().get(pk=merge.pk)
    if merge.undone_at is not None:
        raise ValidationError(_("Lần hợp nhất này đã được hoàn tác."))
    kept = Beneficiary.objects.select_for_update().get(pk=merge.kept_id)
    if Beneficiary.objects.filter(pk=merge.removed_id).exists():
        raise ValidationError(_("Mã cơ sở đã gộp đang được dùng; không hoàn tác được."))
    data = dict(merge.removed_data)
    if merge.tax_code_moved:
        kept.tax_code = None
        kept.save()
    restored = next(
        serializers.deserialize(
            "python", [{"model": "beneficiaries.beneficiary", "pk": merge.removed_id, "fields": data}]
        )
    ).object
    restored.save()
    for record in merge.moved.get("links", []):
        if record["joined_into"]:
            twin = ProjectBeneficiary.objects.select_for_update().get(pk=record["joined_into"])
            for field in _LINK_MONEY:
                setattr(twin, field, getattr(twin, field) - record[field])
            twin.full_clean()
            twin.save()
            link = ProjectBeneficiary(
                id=record["id"],
                project_id=record["project"],
                beneficiary=restored,
                note=record["note"],
                counterpart_committed=record["counterpart_committed"],
                **{f: record[f] for f in _LINK_MONEY},
            )
            link.full_clean()
            link.save()
        else:
            for link in ProjectBeneficiary.objects.filter(pk=record["id"], beneficiary=kept):
                link.beneficiary = restored
                link.save()
    for relation in _relations():
        model, field = relation.related_model, relation.field.name
        for row in model.objects.filter(pk__in=merge.moved.get(model._meta.label, []), **{field: kept}):
            setattr(row, field, restored)
            row.save()
    merge.undone_by, merge.undone_at = actor, timezone.now()
    merge.save()
    return restored
