"""The audit trail: who changed which record a person entered (money, status, outputs, reports, appraisal
sheets, documents, beneficiaries, certifications, imports), users, roles and permissions, when, from what
to what.

One log table (django-auditlog) records a row with the diff for every create, change and delete of the
models below; the actor comes from the request (AuditlogMiddleware) or from `auditlog.context.set_actor`
in commands. Status moves of a đề án are recorded twice on purpose: here with the diff, and as a
ProjectTransition by the workflow services (with the comment and decision number). Audit rows are read-only
everywhere: the portal has no page that edits them and the admin below refuses add, change and delete.
"""

from auditlog.admin import LogEntryAdmin
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.apps import apps
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

# model label -> options for auditlog.register. Fields that only mirror others (search text, timestamps)
# and secrets (password hashes, OTP keys) are left out.
AUDITED: dict[str, dict] = {
    "projects.Project": {"exclude_fields": ["search_text", "updated_at"], "m2m_fields": {"contents"}},
    "projects.BudgetLine": {},
    "projects.ProjectBeneficiary": {},
    "projects.Advance": {},
    "projects.Disbursement": {},
    "projects.SettlementLine": {},
    "projects.Acceptance": {},
    "projects.WorkflowStepRole": {},
    "projects.ProcedureDeadline": {},
    "projects.NationalPlan": {},
    "projects.NationalPlanLine": {},
    "projects.AppraisalRule": {},
    # What people enter along a đề án's life: a correction keeps the old value in the trail.
    "projects.ProjectOutput": {},
    "projects.ProgressReport": {},
    # A note is something a person wrote on the đề án: who wrote what, and when, stays in the trail.
    "projects.ProjectNote": {},
    "projects.Appraisal": {},
    "projects.ProjectDocument": {},
    "beneficiaries.Beneficiary": {"exclude_fields": ["search_text", "created_at", "updated_at"]},
    "beneficiaries.Certification": {},
    "programs.ProgrammeTarget": {},
    "programs.HistoricOutput": {},
    # The import job's report (every row's errors) is kept on the job itself; its moves are audited.
    "spreadsheets.ImportJob": {"exclude_fields": ["report"]},
    "programs.Programme": {},
    "programs.ProgrammeBudget": {},
    "programs.AnnualPlan": {},
    "programs.PlanAllocation": {},
    "programs.SupportCap": {},
    "planning.PlanVersion": {"m2m_fields": {"projects"}},
    "planning.PlanVersionLine": {},
    "merging.BeneficiaryMerge": {"exclude_fields": ["removed_data", "moved"]},
    "needs.Need": {"exclude_fields": ["updated_at", "fingerprint", "dedupe_key"]},
    "accounts.StaffProfile": {},
    "auth.User": {
        "include_fields": [
            "username",
            "first_name",
            "last_name",
            "email",
            "is_active",
            "is_staff",
            "is_superuser",
        ],
        "m2m_fields": {"groups", "user_permissions"},
    },
    "auth.Group": {"m2m_fields": {"permissions"}},
    "otp_totp.TOTPDevice": {
        "exclude_fields": [
            "key",
            "last_t",
            "throttling_failure_timestamp",
            "throttling_failure_count",
            "last_used_at",
        ]
    },
}

# The records of a đề án whose history belongs to the đề án's trail (related name of each -> project).
PROJECT_PARTS = (
    "projects.BudgetLine",
    "projects.ProjectBeneficiary",
    "projects.Advance",
    "projects.Disbursement",
    "projects.SettlementLine",
    "projects.Acceptance",
    "projects.ProjectOutput",
    "projects.ProgressReport",
    "projects.Appraisal",
    "projects.ProjectDocument",
)


def _register() -> None:
    for label, options in AUDITED.items():
        try:
            model = apps.get_model(label)
        except LookupError:  # a model not (yet) in this version of the portal
            continue
        if not auditlog.contains(model):
            auditlog.register(model, **options)


_register()


def project_audit_trail(project) -> QuerySet:
    """Every audit row of a đề án and of its records (budget lines, beneficiaries' support, advances,
    disbursements, settlement, acceptance, outputs, progress reports, appraisal sheets, documents), newest
    first, deleted records included."""
    condition = Q(content_type=ContentType.objects.get_for_model(type(project)), object_pk=str(project.pk))
    for label in PROJECT_PARTS:
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        content_type = ContentType.objects.get_for_model(model)
        current = [str(i) for i in model.objects.filter(project=project).values_list("pk", flat=True)]
        # Rows since deleted are found through their creation or deletion diff, which names the project.
        once = LogEntry.objects.filter(content_type=content_type).filter(
            Q(changes__project__0=project.pk) | Q(changes__project__1=project.pk)
        )
        condition |= Q(content_type=content_type) & (
            Q(object_pk__in=current) | Q(object_pk__in=once.values("object_pk"))
        )
    return LogEntry.objects.filter(condition).select_related("actor", "content_type").order_by("-timestamp")


class ReadOnlyLogEntryAdmin(LogEntryAdmin):
    """Audit rows can be read in the admin, never added, changed or deleted."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


if admin.site.is_registered(LogEntry):
    admin.site.unregister(LogEntry)
admin.site.register(LogEntry, ReadOnlyLogEntryAdmin)

__all__ = ["AUDITED", "project_audit_trail"]
