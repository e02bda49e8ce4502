"""The đề án's allowed moves: one table, guarded by `Project.transition_to`.

`MOVES` names each move (the step a user takes) with the statuses it starts from and the status it leads
to; `TRANSITIONS` is the same table seen from the statuses. Who may take a move is data
(`WorkflowStepRole`, see projects.permissions); what it requires is checked in projects.services.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from projects.statuses import ProjectStatus as S
from projects.statuses import WorkflowAction as A


class InvalidTransition(Exception):
    """A move the table does not allow (a domain error, not a permission error)."""

    def __init__(self, from_status: str, to_status: str):
        self.from_status, self.to_status = from_status, to_status
        super().__init__(
            _("Không thể chuyển đề án từ «%(old)s» sang «%(new)s».")
            % {"old": S(from_status).label, "new": S(to_status).label}
        )


@dataclass(frozen=True)
class Move:
    action: str
    sources: frozenset[S]
    target: S


MOVES: dict[str, Move] = {
    m.action: m
    for m in [
        Move(A.SUBMIT, frozenset({S.DRAFT, S.RETURNED}), S.SUBMITTED),
        Move(A.START_APPRAISAL, frozenset({S.SUBMITTED}), S.APPRAISING),
        Move(A.RETURN, frozenset({S.SUBMITTED, S.APPRAISING}), S.RETURNED),
        Move(A.REJECT, frozenset({S.APPRAISING}), S.REJECTED),
        Move(A.APPROVE, frozenset({S.APPRAISING}), S.APPROVED),
        Move(A.CONTRACT, frozenset({S.APPROVED}), S.CONTRACTED),
        Move(A.START, frozenset({S.CONTRACTED}), S.IN_PROGRESS),
        Move(A.REQUEST_ADJUSTMENT, frozenset({S.IN_PROGRESS}), S.ADJUSTING),
        Move(A.APPROVE_ADJUSTMENT, frozenset({S.ADJUSTING}), S.IN_PROGRESS),
        Move(A.DECLINE_ADJUSTMENT, frozenset({S.ADJUSTING}), S.IN_PROGRESS),
        Move(A.STOP, frozenset({S.APPROVED, S.CONTRACTED, S.IN_PROGRESS, S.ADJUSTING}), S.STOPPED),
        Move(A.WITHDRAW, frozenset({S.DRAFT, S.SUBMITTED, S.RETURNED}), S.WITHDRAWN),
        Move(A.ACCEPT, frozenset({S.IN_PROGRESS}), S.ACCEPTED),
        Move(A.CLOSE, frozenset({S.ACCEPTED}), S.CLOSED),
        Move(A.SETTLE, frozenset({S.CLOSED}), S.SETTLED),
        # The national procedure: the Sở appraises locally (start_appraisal/appraise) and sends the đề án to
        # the Cục; units that file with the Cục directly are taken up from "submitted". Who may take these
        # steps is data: no role takes them on a local đề án.
        Move(A.FORWARD, frozenset({S.APPRAISING}), S.FORWARDED),
        Move(A.CUC_RECEIVE, frozenset({S.FORWARDED, S.SUBMITTED}), S.CUC_REVIEW),
        Move(A.CUC_RETURN, frozenset({S.FORWARDED, S.CUC_REVIEW}), S.RETURNED),
        Move(A.CUC_REJECT, frozenset({S.CUC_REVIEW}), S.REJECTED),
        Move(A.NATIONAL_APPROVE, frozenset({S.CUC_REVIEW}), S.APPROVED),
    ]
}


def _build_transitions() -> dict[S, frozenset[S]]:
    table: dict[S, set[S]] = {status: set() for status in S}
    for move in MOVES.values():
        for source in move.sources:
            table[source].add(move.target)
    return {status: frozenset(targets) for status, targets in table.items()}


TRANSITIONS: dict[S, frozenset[S]] = _build_transitions()

# Moves that are a choice, never anyone's pending task (they do not show in "my tasks" nor send e-mail).
# Declining an adjustment is the leader's other answer to the same request, not a second task.
OPTIONAL_MOVES: frozenset[str] = frozenset(
    {A.REQUEST_ADJUSTMENT, A.DECLINE_ADJUSTMENT, A.STOP, A.WITHDRAW, A.CUC_RETURN, A.CUC_REJECT}
)
# Moves taken only through another service (a đề án enters the national plan when the plan is approved).
PLAN_MOVES: frozenset[str] = frozenset({A.NATIONAL_APPROVE})

TERMINAL_STATUSES: frozenset[S] = frozenset(s for s, targets in TRANSITIONS.items() if not targets)

# Records kept along the way, and the statuses in which they may be written.
RECORD_STATUSES: dict[str, frozenset[S]] = {
    A.EDIT: frozenset({S.DRAFT, S.RETURNED, S.ADJUSTING}),
    A.APPRAISE: frozenset({S.APPRAISING}),
    A.CUC_APPRAISE: frozenset({S.CUC_REVIEW}),
    A.REPORT_PROGRESS: frozenset({S.IN_PROGRESS, S.ADJUSTING}),
    A.REQUEST_ADVANCE: frozenset({S.CONTRACTED, S.IN_PROGRESS, S.ADJUSTING}),
    A.DECIDE_ADVANCE: frozenset({S.CONTRACTED, S.IN_PROGRESS, S.ADJUSTING, S.ACCEPTED}),
    A.RECORD_DISBURSEMENT: frozenset({S.CONTRACTED, S.IN_PROGRESS, S.ADJUSTING, S.ACCEPTED, S.CLOSED}),
    A.RECORD_OUTPUTS: frozenset({S.IN_PROGRESS, S.ADJUSTING, S.ACCEPTED}),
    A.UPLOAD_DOCUMENT: frozenset(set(S) - {S.WITHDRAWN}),
}


def is_allowed(from_status: str, to_status: str) -> bool:
    try:
        return S(to_status) in TRANSITIONS[S(from_status)]
    except ValueError:
        return False


def action_allowed_in(action: str, status: str) -> bool:
    """Whether the step `action` can be taken on a đề án in `status` (moves and records alike)."""
    if action in MOVES:
        return status in MOVES[action].sources
    return status in RECORD_STATUSES.get(action, frozenset())


def action_allowed_for(project, action: str) -> bool:
    """`action_allowed_in` for this đề án, with the national route: a đề án filed directly with the Cục is
    taken up by the Cục from "submitted" and never appraised by a Sở; one filed with its Sở goes through the
    Sở first."""
    if not action_allowed_in(action, project.status):
        return False
    if getattr(project, "kind", None) == "kcqg" and project.status == S.SUBMITTED:
        if action == A.CUC_RECEIVE:
            return project.files_with_ministry
        if action == A.START_APPRAISAL:
            return not project.files_with_ministry
    return True


# The national procedure: which role takes which step when neither the database nor a province says
# otherwise. The same table is loaded into WorkflowStepRole (province empty) by migration 0003, where
# administrators can see it and provinces can override it step by step.
_O, _AP, _L, _C = "officer", "appraiser", "leader", "centre"
DEFAULT_STEP_ROLES: dict[str, frozenset[str]] = {
    A.SUBMIT: frozenset({_O}),
    A.START_APPRAISAL: frozenset({_O}),
    A.RETURN: frozenset({_L}),
    A.REJECT: frozenset({_L}),
    A.APPROVE: frozenset({_L}),
    A.CONTRACT: frozenset({_C}),
    A.START: frozenset({_C}),
    A.REQUEST_ADJUSTMENT: frozenset({_C, _O}),
    A.APPROVE_ADJUSTMENT: frozenset({_L}),
    A.DECLINE_ADJUSTMENT: frozenset({_L}),
    A.STOP: frozenset({_L}),
    A.WITHDRAW: frozenset({_O}),
    A.ACCEPT: frozenset({_C}),
    A.CLOSE: frozenset({_C}),
    A.SETTLE: frozenset({_L}),
    A.EDIT: frozenset({_O}),
    A.APPRAISE: frozenset({_AP}),
    A.REPORT_PROGRESS: frozenset({_C}),
    A.REQUEST_ADVANCE: frozenset({_C}),
    A.DECIDE_ADVANCE: frozenset({_L}),
    A.RECORD_DISBURSEMENT: frozenset({_C}),
    A.RECORD_OUTPUTS: frozenset({_C}),
    A.UPLOAD_DOCUMENT: frozenset({_O, _AP, _L, _C}),
}


# The national procedure for national đề án (TT 36/2013/TT-BCT as amended by TT 17/2018/TT-BCT; TT 28/2018/TT-BTC
# for money): the implementing unit files with its Sở, the Sở appraises and forwards, the Cục appraises,
# the Minister approves the plan, the Cục contracts, pays, accepts (the Sở organises the local acceptance)
# and settles. Loaded into WorkflowStepRole (kind "kcqg", province empty) by migration 0007; a province may
# override its own steps. Ministry roles appear only here: on a local đề án they read.
_CO, _CC, _CL = "cuc_officer", "cuc_council", "cuc_leader"
DEFAULT_NATIONAL_STEP_ROLES: dict[str, frozenset[str]] = {
    A.SUBMIT: frozenset({_C, _O}),
    A.EDIT: frozenset({_C, _O}),
    A.WITHDRAW: frozenset({_C, _O}),
    A.START_APPRAISAL: frozenset({_O}),
    A.APPRAISE: frozenset({_AP}),
    A.RETURN: frozenset({_L}),
    A.REJECT: frozenset({_L}),
    A.FORWARD: frozenset({_L}),
    A.CUC_RECEIVE: frozenset({_CO}),
    A.CUC_APPRAISE: frozenset({_CC}),
    A.CUC_RETURN: frozenset({_CO, _CL}),
    A.CUC_REJECT: frozenset({_CL}),
    A.NATIONAL_PLAN_EDIT: frozenset({_CO, _CL}),
    A.NATIONAL_APPROVE: frozenset({_CL}),
    A.CONTRACT: frozenset({_CO}),
    A.START: frozenset({_C}),
    A.REPORT_PROGRESS: frozenset({_C}),
    A.REQUEST_ADVANCE: frozenset({_C}),
    A.DECIDE_ADVANCE: frozenset({_CL}),
    A.RECORD_DISBURSEMENT: frozenset({_CO}),
    A.RECORD_OUTPUTS: frozenset({_C}),
    A.REQUEST_ADJUSTMENT: frozenset({_C, _O}),
    A.APPROVE_ADJUSTMENT: frozenset({_CL}),
    A.DECLINE_ADJUSTMENT: frozenset({_CL}),
    A.STOP: frozenset({_CL}),
    A.ACCEPT: frozenset({_O}),
    A.CLOSE: frozenset({_CO}),
    A.SETTLE: frozenset({_CL}),
    A.UPLOAD_DOCUMENT: frozenset({_O, _AP, _L, _C, _CO, _CC, _CL}),
}


# Changes to a national đề án, split as the circular splits them: the Minister decides more money, other
# content, carry-over to the next year and stopping; the Cục decides site, beneficiary, partner and less
# money. A province or a later circular may differ: the table is data the services and pages read.
class ChangeKind:
    MORE_MONEY = "more_money"
    OTHER_CONTENT = "other_content"
    CARRY_OVER = "carry_over"
    SITE = "site"
    BENEFICIARY = "beneficiary"
    PARTNER = "partner"
    LESS_MONEY = "less_money"


MINISTER, CUC = "minister", "cuc"
CHANGE_AUTHORITY: dict[str, str] = {
    ChangeKind.MORE_MONEY: MINISTER,
    ChangeKind.OTHER_CONTENT: MINISTER,
    ChangeKind.CARRY_OVER: MINISTER,
    ChangeKind.SITE: CUC,
    ChangeKind.BENEFICIARY: CUC,
    ChangeKind.PARTNER: CUC,
    ChangeKind.LESS_MONEY: CUC,
}
CHANGE_LABELS: dict[str, str] = {
    ChangeKind.MORE_MONEY: _("Tăng kinh phí"),
    ChangeKind.OTHER_CONTENT: _("Thay đổi nội dung"),
    ChangeKind.CARRY_OVER: _("Chuyển tiếp sang năm sau"),
    ChangeKind.SITE: _("Thay đổi địa điểm"),
    ChangeKind.BENEFICIARY: _("Thay đổi đối tượng thụ hưởng"),
    ChangeKind.PARTNER: _("Thay đổi đơn vị phối hợp"),
    ChangeKind.LESS_MONEY: _("Giảm kinh phí"),
}
AUTHORITY_LABELS: dict[str, str] = {MINISTER: _("Bộ trưởng Bộ Công Thương"), CUC: _("Cục trưởng")}
