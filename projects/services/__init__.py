"""Writes about đề án. Views, admin actions, imports and commands all call these."""

from ..models import WorkflowAction
from .checks import DoubleSupportWarning
from .documents import document_upload
from .national import (
    national_plan_approve,
    national_plan_create,
    national_plan_line_remove,
    national_plan_line_set,
    project_cuc_receive,
    project_cuc_reject,
    project_cuc_return,
    project_forward,
)
from .tracking import (
    advance_decide,
    advance_request,
    appraisal_submit,
    disbursement_record,
    outputs_record,
    progress_report_submit,
)
from .workflow import (
    MOVE_SERVICES,
    project_accept,
    project_approve,
    project_approve_adjustment,
    project_close,
    project_contract,
    project_decline_adjustment,
    project_reject,
    project_request_adjustment,
    project_return,
    project_settle,
    project_start,
    project_start_appraisal,
    project_stop,
    project_submit,
    project_withdraw,
)

# The national procedure's moves join the table of services by move.
MOVE_SERVICES.update(
    {
        WorkflowAction.FORWARD: project_forward,
        WorkflowAction.CUC_RECEIVE: project_cuc_receive,
        WorkflowAction.CUC_RETURN: project_cuc_return,
        WorkflowAction.CUC_REJECT: project_cuc_reject,
    }
)

__all__ = [
    "MOVE_SERVICES",
    "DoubleSupportWarning",
    "advance_decide",
    "advance_request",
    "appraisal_submit",
    "disbursement_record",
    "document_upload",
    "national_plan_approve",
    "national_plan_create",
    "national_plan_line_remove",
    "national_plan_line_set",
    "outputs_record",
    "project_cuc_receive",
    "project_cuc_reject",
    "project_cuc_return",
    "project_forward",
    "progress_report_submit",
    "project_accept",
    "project_approve",
    "project_approve_adjustment",
    "project_close",
    "project_contract",
    "project_decline_adjustment",
    "project_reject",
    "project_request_adjustment",
    "project_return",
    "project_settle",
    "project_start",
    "project_start_appraisal",
    "project_stop",
    "project_submit",
    "project_withdraw",
]
