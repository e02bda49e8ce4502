"""Writes about đề án. Views, admin actions, imports and commands all call these."""

from .checks import DoubleSupportWarning
from .documents import document_upload
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

__all__ = [
    "MOVE_SERVICES",
    "DoubleSupportWarning",
    "advance_decide",
    "advance_request",
    "appraisal_submit",
    "disbursement_record",
    "document_upload",
    "outputs_record",
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
