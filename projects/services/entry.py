"""Saving a đề án as a draft from the entry page: general information and all its rows, in one step."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.scoping import user_province_id
from beneficiaries.services import beneficiary_create
from places.models import AdministrativeUnit
from programs.models import AnnualPlan

from ..models import BudgetLine, Project, ProjectBeneficiary, ProjectOutput, ProjectStatus, WorkflowAction
from ..permissions import can_edit_project, may_take_step

_GENERAL_FIELDS = (
    "title",
    "code",
    "plan",
    "shape",
    "selection",
    "implementing_agency",
    "implementing_unit_name",
    "coordinating_unit",
    "site_address",
    "files_with_ministry",
    "start_date",
    "end_date",
    "need_and_basis",
    "objectives",
    "scale",
    "expected_effects",
)


def _next_code(plan: AnnualPlan) -> str:
    """ "<province code>-<year>-<n>": the next free number among the province's đề án of that year.

    Two officers of a province saving a new đề án at the same moment would both read the same largest
    number: the province's row is locked first (FOR NO KEY UPDATE, so the foreign-key checks of other writes
    that name the province do not wait), until the transaction that takes the number ends."""
    province = plan.province.today_province() or plan.province
    list(AdministrativeUnit.objects.select_for_update(no_key=True).filter(pk=province.pk).values_list("pk"))
    prefix = f"{province.code.lower()}-{plan.year}-"
    taken = Project.objects.filter(code__startswith=prefix).values_list("code", flat=True)
    numbers = [int(m.group(1)) for c in taken if (m := re.fullmatch(re.escape(prefix) + r"(\d+)", c))]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"


@transaction.atomic
def project_save_draft(
    *,
    actor,
    project: Project | None = None,
    data: dict[str, Any],
    contents: list,
    sites: list,
    beneficiaries: list[dict[str, Any]],
    budget_lines: list[dict[str, Any]],
    outputs: list[dict[str, Any]],
) -> Project:
    """Create or update a đề án that may still be edited, with its contents, sites, beneficiaries (new
    ones recorded on the spot), budget lines and planned outputs. All or nothing: a failure writes nothing."""
    if project is None:
        if not may_create_project(actor):
            raise PermissionDenied(_("Bạn không có quyền lập đề án."))
        project = Project(created_by=actor, status=ProjectStatus.DRAFT)
    else:
        project = Project.objects.select_for_update().get(pk=project.pk)
        if not can_edit_project(actor, project):
            raise PermissionDenied(
                _("Đề án ở trạng thái «%(status)s» không sửa được, hoặc bạn không có quyền sửa.")
                % {"status": project.get_status_display()}
            )

    plan: AnnualPlan = data["plan"]
    if not AnnualPlan.objects.visible_to(actor).filter(pk=plan.pk).exists():
        raise ValidationError({"plan": _("Kế hoạch năm không thuộc tỉnh/thành phố của bạn.")})
    for field in _GENERAL_FIELDS:
        if field in data:
            setattr(project, field, data[field] if data[field] is not None or field in _NULLABLE else "")
    project.kind = plan.kind
    project.province = plan.province.today_province() or plan.province
    if user_province_id(actor) not in (None, project.province_id):
        raise ValidationError({"plan": _("Kế hoạch năm không thuộc tỉnh/thành phố của bạn.")})
    if project.pk is None and not may_take_step(actor, project, WorkflowAction.EDIT):
        raise ValidationError(
            {
                "plan": _("Bạn không lập được đề án thuộc kế hoạch «%(plan)s» (%(kind)s).")
                % {"plan": plan.name, "kind": plan.get_kind_display()}
            }
        )
    if not project.code:
        project.code = _next_code(plan)
    project.full_clean(exclude=["province"])
    project.save()
    project.contents.set(contents)
    project.sites.set(sites)

    project.beneficiary_links.all().delete()
    for row in beneficiaries:
        beneficiary = row.get("beneficiary")
        if beneficiary is None:
            beneficiary = beneficiary_create(
                actor=actor, data={**row["new"], "province_id": project.province_id}
            )
        link = ProjectBeneficiary(
            project=project,
            beneficiary=beneficiary,
            support_amount=row.get("support_amount") or 0,
            counterpart_amount=row.get("counterpart_amount") or 0,
            counterpart_committed=bool(row.get("counterpart_committed")),
        )
        link.full_clean()
        link.save()

    project.budget_lines.all().delete()
    for order, row in enumerate(budget_lines, start=1):
        line = BudgetLine(project=project, order=order, **row)
        line.full_clean()
        line.save()

    kept = []
    for row in outputs:
        output, _created = ProjectOutput.objects.update_or_create(
            project=project, indicator=row["indicator"], defaults={"planned": row["planned"]}
        )
        kept.append(output.pk)
    project.outputs.exclude(pk__in=kept).filter(achieved__isnull=True).delete()
    return project


_NULLABLE = {"implementing_agency", "start_date", "end_date", "plan"}


def may_create_project(actor) -> bool:
    """Whoever takes the edit step on drafts in a province (its officers) may open a new đề án there."""
    province_id = user_province_id(actor)
    if province_id is None:
        return False
    # Local đề án are drafted by the Sở's officers; a national one may also be drafted by its implementing
    # unit (the centre), as the step table says.
    return any(
        may_take_step(
            actor,
            Project(province_id=province_id, status=ProjectStatus.DRAFT, kind=kind),
            WorkflowAction.EDIT,
        )
        for kind in Project.Kind.values
    )
