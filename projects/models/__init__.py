from .appraisal import CRITERION_MAX, Appraisal, AppraisalRule, Recommendation
from .documents import ProjectDocument
from .national import NationalPlan, NationalPlanLine
from .notes import ProjectNote
from .project import (
    COMMITTED_STATUSES,
    BudgetLine,
    Project,
    ProjectBeneficiary,
    ProjectOutput,
    ProjectQuerySet,
    ProjectStatus,
)
from .tracking import (
    PROGRESS_DUE_DAY,
    Acceptance,
    Advance,
    AdvanceRule,
    Disbursement,
    ProgressReport,
    SettlementLine,
    due_date_for,
)
from .workflow import ProcedureDeadline, ProjectTransition, WorkflowAction, WorkflowStepRole

__all__ = [
    "COMMITTED_STATUSES",
    "CRITERION_MAX",
    "PROGRESS_DUE_DAY",
    "Acceptance",
    "Advance",
    "AdvanceRule",
    "Appraisal",
    "AppraisalRule",
    "BudgetLine",
    "Disbursement",
    "NationalPlan",
    "NationalPlanLine",
    "ProcedureDeadline",
    "ProgressReport",
    "Project",
    "ProjectBeneficiary",
    "ProjectDocument",
    "ProjectNote",
    "ProjectOutput",
    "ProjectQuerySet",
    "ProjectStatus",
    "ProjectTransition",
    "Recommendation",
    "SettlementLine",
    "WorkflowAction",
    "WorkflowStepRole",
    "due_date_for",
]
