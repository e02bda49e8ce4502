"""Finding and removing the synthetic rows (children first), leaving real and demo data alone."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.contrib.auth import get_user_model
from django.db import connection, models, transaction

from accounts.models import StaffProfile
from beneficiaries.models import Beneficiary
from programs.models import (
    Agency,
    AnnualPlan,
    PlanAllocation,
    Programme,
    ProgrammeTarget,
)
from projects.models import (
    Acceptance,
    Advance,
    BudgetLine,
    Disbursement,
    ProgressReport,
    Project,
    ProjectBeneficiary,
    ProjectOutput,
    ProjectTransition,
    SettlementLine,
)

from .vocabulary import (
    MARK,
    PREFIX,
)

# --------------------------------------------------------------------------------------------------
# Finding and removing synthetic rows


def synthetic_project_count() -> int:
    return Project.objects.filter(code__startswith=PREFIX, is_demo=True).count()


def delete_synthetic(log: Callable[[str], None] = print) -> None:
    """Remove every synthetic row (children first), leaving real and demo data alone."""
    q = connection.ops.quote_name
    project = q(Project._meta.db_table)
    children: Iterable[type[models.Model]] = [
        ProjectTransition,
        ProgressReport,
        Disbursement,
        Advance,
        Acceptance,
        SettlementLine,
        ProjectOutput,
        BudgetLine,
        ProjectBeneficiary,
        Project.contents.through,
        Project.sites.through,
    ]
    from projects.models import Appraisal, ProjectDocument

    children = [ProjectDocument, Appraisal, *children]
    ids = f"SELECT id FROM {project} WHERE code LIKE %s AND is_demo"
    User = get_user_model()
    with transaction.atomic(), connection.cursor() as cursor:
        for model in children:
            cursor.execute(
                f"DELETE FROM {q(model._meta.db_table)} WHERE project_id IN ({ids})", [PREFIX + "%"]
            )
        cursor.execute(f"DELETE FROM {project} WHERE code LIKE %s AND is_demo", [PREFIX + "%"])
        plans = AnnualPlan.objects.filter(is_demo=True, name__endswith=MARK)
        PlanAllocation.objects.filter(plan__in=plans).delete()
        plans._raw_delete(plans.db)
        ProgrammeTarget.objects.filter(programme__code__startswith=PREFIX).delete()
        Programme.objects.filter(code__startswith=PREFIX, is_demo=True).delete()
        beneficiaries = Beneficiary.objects.filter(is_demo=True, name__endswith=MARK)
        from beneficiaries.models import Certification

        Certification.objects.filter(beneficiary__in=beneficiaries)._raw_delete(connection.alias)
        beneficiaries._raw_delete(connection.alias)
        users = User.objects.filter(username__startswith=PREFIX, first_name=MARK)
        StaffProfile.objects.filter(user__in=users).delete()
        User.groups.through.objects.filter(user__in=users).delete()
        users.delete()
        Agency.objects.filter(name__endswith=MARK).delete()
    log("Đã xóa dữ liệu tổng hợp cũ.")
