from .appraisal import CRITERION_MAX, Appraisal, AppraisalRule, Recommendation
from .documents import ProjectDocument
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
from .workflow import ProjectTransition, WorkflowAction, WorkflowStepRole

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
    "ProgressReport",
    "Project",
    "ProjectBeneficiary",
    "ProjectDocument",
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
