"""The đề án's moves: one service per step, each with its permission check, row lock, requirements,
audit row and notifications. A refused move raises and writes nothing.

Errors: PermissionDenied (role or province does not allow the step), InvalidTransition (the status does
not allow it), ValidationError (something required is missing or a money rule is breached; Vietnamese
messages naming it), DoubleSupportWarning (a ValidationError the approver must acknowledge).
"""

import datetime
from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from khuyencong.money import format_dong
from programs.models import FundingSource

from ..models import (
    Acceptance,
    BudgetLine,
    Project,
    ProjectTransition,
    SettlementLine,
    WorkflowAction,
)
from ..notifications import queue_move_notification
from ..permissions import may_take_step
from ..selectors import appraisal_standing, budget_by_source, disbursed_by_source
from ..workflow import (
    CHANGE_AUTHORITY,
    CHANGE_LABELS,
    CUC,
    MOVES,
    InvalidTransition,
    action_allowed_for,
)
from .checks import decision_errors, money_check, raise_if, submission_errors, validate_fields

A = WorkflowAction


def lock_project(project: Project | int) -> Project:
    pk = project.pk if isinstance(project, Project) else project
    return Project.objects.select_for_update().get(pk=pk)


def require_step(actor, project: Project, action: str) -> None:
    if not may_take_step(actor, project, action):
        raise PermissionDenied(
            _("Bạn không có quyền thực hiện bước «%(step)s» với đề án %(code)s.")
            % {"step": A(action).label, "code": project.code}
        )


def _begin(actor, project: Project, action: str) -> Project:
    """Lock the đề án, then check the actor's right and that its status allows the move."""
    locked = lock_project(project)
    require_step(actor, locked, action)
    target = MOVES[action].target
    if not action_allowed_for(locked, action):  # the status, and for a national đề án its route
        raise InvalidTransition(locked.status, target)
    return locked


def _finish(
    actor,
    original: Project,
    project: Project,
    action: str,
    *,
    comment: str = "",
    decision_number: str = "",
    decision_date: datetime.date | None = None,
    warnings: str = "",
    budget_before: list[dict] | None = None,
    change_kind: str = "",
) -> ProjectTransition:
    """Move, save, write the audit row, queue the e-mails."""
    old = project.transition_to(MOVES[action].target)
    project.save()
    transition = ProjectTransition(
        project=project,
        action=action,
        from_status=old,
        to_status=project.status,
        actor=actor,
        comment=(comment or "").strip(),
        decision_number=(decision_number or "").strip(),
        decision_date=decision_date,
        acknowledged_warnings=warnings,
        budget_before=budget_before,
        change_kind=change_kind,
    )
    validate_fields(transition, "project", "actor")
    transition.save()
    queue_move_notification(project=project, transition=transition)
    if original is not project:
        original.refresh_from_db()
    return transition


def _require_comment(comment: str, *, why: str) -> None:
    if not (comment or "").strip():
        raise ValidationError(_("Cần ghi ý kiến: %(why)s.") % {"why": why})


# ---------------------------------------------------------------------------------------------- moves


@transaction.atomic
def project_submit(
    *,
    actor,
    project: Project,
    comment: str = "",
    late_reason: str = "",
    today: datetime.date | None = None,
) -> ProjectTransition:
    """The officer registers a draft or returned đề án. Needs a content, a site, budget lines with their
    source, and every beneficiary's counterpart commitment. Tells whoever starts the appraisal. A national
    đề án filed after the registration deadline is accepted only with the reason, kept on the audit row."""
    from .deadlines import late_registration_warning

    locked = _begin(actor, project, A.SUBMIT)
    raise_if(submission_errors(locked))
    warning = late_registration_warning(locked, today=today, reason=late_reason)
    return _finish(actor, project, locked, A.SUBMIT, comment=comment, warnings=warning)


@transaction.atomic
def project_start_appraisal(*, actor, project: Project, comment: str = "") -> ProjectTransition:
    """Send a registered đề án to the appraisal council. Tells the appraisers."""
    locked = _begin(actor, project, A.START_APPRAISAL)
    return _finish(actor, project, locked, A.START_APPRAISAL, comment=comment)


@transaction.atomic
def project_return(*, actor, project: Project, comment: str) -> ProjectTransition:
    """Send a đề án back to the officer for changes; the comment says what to add."""
    locked = _begin(actor, project, A.RETURN)
    _require_comment(comment, why=_("nội dung cần bổ sung, chỉnh sửa"))
    return _finish(actor, project, locked, A.RETURN, comment=comment)


@transaction.atomic
def project_reject(*, actor, project: Project, comment: str) -> ProjectTransition:
    """Refuse a đề án after appraisal (final); the comment gives the reason."""
    locked = _begin(actor, project, A.REJECT)
    _require_comment(comment, why=_("lý do không phê duyệt"))
    return _finish(actor, project, locked, A.REJECT, comment=comment)


@transaction.atomic
def project_approve(
    *,
    actor,
    project: Project,
    decision_number: str,
    decision_date: datetime.date | None,
    acknowledge_double_support: bool = False,
    comment: str = "",
) -> ProjectTransition:
    """Approve a đề án into its annual plan by decision. Its appraisal must meet its province's rule
    (sheets, average score); under a lock on the plan, each source must fit the plan's remaining
    allocation and support per content the caps in force; double support must be acknowledged. Tells the
    implementing centre."""
    locked = _begin(actor, project, A.APPROVE)
    raise_if(decision_errors(decision_number, decision_date, what=_("quyết định phê duyệt")))
    standing = appraisal_standing(locked)
    if not standing.met:
        raise_if(
            [
                _("Chưa đủ điều kiện thẩm định để phê duyệt (%(rule)s).")
                % {"rule": standing.rule.describe()},
                *standing.problems,
            ]
        )
    warnings = money_check(locked, on=decision_date, acknowledge_double_support=acknowledge_double_support)
    locked.approval_decision_number = decision_number.strip()
    locked.approval_decision_date = decision_date
    return _finish(
        actor,
        project,
        locked,
        A.APPROVE,
        comment=comment,
        decision_number=decision_number,
        decision_date=decision_date,
        warnings=warnings,
    )


@transaction.atomic
def project_contract(
    *,
    actor,
    project: Project,
    contract_number: str,
    contract_date: datetime.date | None,
    comment: str = "",
) -> ProjectTransition:
    """Record the contract (or the decision assigning the task) of an approved đề án."""
    locked = _begin(actor, project, A.CONTRACT)
    raise_if(decision_errors(contract_number, contract_date, what=_("hợp đồng/quyết định giao nhiệm vụ")))
    locked.contract_number, locked.contract_date = contract_number.strip(), contract_date
    return _finish(
        actor,
        project,
        locked,
        A.CONTRACT,
        comment=comment,
        decision_number=contract_number,
        decision_date=contract_date,
    )


@transaction.atomic
def project_start(*, actor, project: Project, comment: str = "") -> ProjectTransition:
    """The implementing unit starts work; monthly progress reports are due from this month."""
    locked = _begin(actor, project, A.START)
    return _finish(actor, project, locked, A.START, comment=comment)


BUDGET_SNAPSHOT_FIELDS = ("source_id", "content_id", "expense_item", "amount", "order")


def _budget_snapshot(project: Project) -> list[dict]:
    return list(project.budget_lines.order_by("order", "pk").values(*BUDGET_SNAPSHOT_FIELDS))


@transaction.atomic
def project_request_adjustment(
    *, actor, project: Project, comment: str, change_kind: str = ""
) -> ProjectTransition:
    """Ask to adjust an in-progress đề án (điều chỉnh, bổ sung); its estimate becomes editable until the
    leadership approves or declines the adjustment. The approved estimate is kept on the audit row. A
    national đề án names the kind of change, which says who decides it (the Minister or the Cục)."""
    locked = _begin(actor, project, A.REQUEST_ADJUSTMENT)
    _require_comment(comment, why=_("nội dung đề nghị điều chỉnh, bổ sung"))
    if locked.is_national and change_kind not in CHANGE_AUTHORITY:
        raise ValidationError(
            _("Đề án quốc gia: cần chọn loại điều chỉnh (%(kinds)s).")
            % {"kinds": ", ".join(str(v) for v in CHANGE_LABELS.values())}
        )
    return _finish(
        actor,
        project,
        locked,
        A.REQUEST_ADJUSTMENT,
        comment=comment,
        budget_before=_budget_snapshot(locked),
        change_kind=change_kind if locked.is_national else "",
    )


def _national_change_errors(project: Project) -> list[str]:
    """A change the Cục decides may not raise the đề án's state-budget money: that is the Minister's."""
    request = project.transitions.filter(action=A.REQUEST_ADJUSTMENT).order_by("-created_at", "-pk").first()
    if request is None or CHANGE_AUTHORITY.get(request.change_kind) != CUC or request.budget_before is None:
        return []
    states = set(FundingSource.objects.filter(is_state_budget=True).values_list("pk", flat=True))
    before = sum(line["amount"] for line in request.budget_before if line["source_id"] in states)
    after = sum(v for k, v in budget_by_source(project).items() if k in states)
    if after > before:
        return [
            _(
                "Điều chỉnh «%(kind)s» do Cục quyết định không được tăng kinh phí ngân sách nhà nước "
                "(%(before)s → %(after)s đồng): tăng kinh phí thuộc thẩm quyền Bộ trưởng."
            )
            % {
                "kind": CHANGE_LABELS[request.change_kind],
                "before": format_dong(before),
                "after": format_dong(after),
            }
        ]
    return []


@transaction.atomic
def project_decline_adjustment(*, actor, project: Project, comment: str) -> ProjectTransition:
    """Decline the adjustment: the đề án goes on under its approved estimate, which is put back line by line
    from the request's audit row (each change audited). Refused, changing nothing, if money already paid
    from a source exceeds what that estimate allows. A request recorded before estimates were kept on it
    (or imported without one) has nothing to put back: the estimate then stays as it is."""
    locked = _begin(actor, project, A.DECLINE_ADJUSTMENT)
    _require_comment(comment, why=_("lý do không chấp thuận điều chỉnh"))
    request = (
        locked.transitions.filter(action=A.REQUEST_ADJUSTMENT, budget_before__isnull=False)
        .order_by("-created_at", "-pk")
        .first()
    )
    if request is not None:
        approved: dict[int | None, int] = {}
        for line in request.budget_before:
            approved[line["source_id"]] = approved.get(line["source_id"], 0) + line["amount"]
        errors = [
            _("Nguồn «%(source)s»: đã giải ngân nhiều hơn dự toán đã phê duyệt; hãy phê duyệt điều chỉnh.")
            % {"source": FundingSource.objects.get(pk=source_id).name}
            for source_id, paid in disbursed_by_source(locked).items()
            if paid > approved.get(source_id, 0)
        ]
        raise_if(errors)
        if _budget_snapshot(locked) != request.budget_before:
            for line in locked.budget_lines.all():
                line.delete()
            for row in request.budget_before:
                BudgetLine.objects.create(project=locked, **row)
    return _finish(actor, project, locked, A.DECLINE_ADJUSTMENT, comment=comment)


@transaction.atomic
def project_approve_adjustment(
    *,
    actor,
    project: Project,
    decision_number: str,
    decision_date: datetime.date | None,
    acknowledge_double_support: bool = False,
    comment: str = "",
) -> ProjectTransition:
    """Approve the adjusted đề án by decision: the same money checks as approval, and no source may fall
    below what was already disbursed from it."""
    locked = _begin(actor, project, A.APPROVE_ADJUSTMENT)
    raise_if(decision_errors(decision_number, decision_date, what=_("quyết định điều chỉnh")))
    budget = budget_by_source(locked)
    errors = _national_change_errors(locked) if locked.is_national else []
    for source_id, paid in disbursed_by_source(locked).items():
        if paid > budget.get(source_id, 0):
            errors.append(
                _("Nguồn «%(source)s»: dự toán điều chỉnh thấp hơn số đã giải ngân.")
                % {"source": FundingSource.objects.get(pk=source_id).name}
            )
    raise_if(errors)
    warnings = money_check(locked, on=decision_date, acknowledge_double_support=acknowledge_double_support)
    return _finish(
        actor,
        project,
        locked,
        A.APPROVE_ADJUSTMENT,
        comment=comment,
        decision_number=decision_number,
        decision_date=decision_date,
        warnings=warnings,
    )


@transaction.atomic
def project_stop(
    *,
    actor,
    project: Project,
    comment: str,
    decision_number: str = "",
    decision_date: datetime.date | None = None,
) -> ProjectTransition:
    """Stop an approved đề án (ngừng triển khai); it releases its allocation except what it disbursed."""
    locked = _begin(actor, project, A.STOP)
    _require_comment(comment, why=_("lý do ngừng triển khai"))
    return _finish(
        actor,
        project,
        locked,
        A.STOP,
        comment=comment,
        decision_number=decision_number,
        decision_date=decision_date,
    )


@transaction.atomic
def project_withdraw(*, actor, project: Project, comment: str = "") -> ProjectTransition:
    """The officer withdraws a đề án not yet under appraisal (final)."""
    locked = _begin(actor, project, A.WITHDRAW)
    return _finish(actor, project, locked, A.WITHDRAW, comment=comment)


@transaction.atomic
def project_accept(
    *,
    actor,
    project: Project,
    minutes_number: str,
    minutes_date: datetime.date | None,
    conclusion: str = Acceptance.Conclusion.PASSED,
    comment: str = "",
) -> ProjectTransition:
    """Record the acceptance (nghiệm thu): needs the minutes and every output indicator's achieved value."""
    locked = _begin(actor, project, A.ACCEPT)
    errors = decision_errors(minutes_number, minutes_date, what=_("biên bản nghiệm thu"))
    outputs = list(locked.outputs.select_related("indicator"))
    if not outputs:
        errors.append(_("Chưa có kết quả đầu ra nào của đề án."))
    missing = [str(o.indicator) for o in outputs if o.achieved is None]
    if missing:
        errors.append(_("Chưa ghi kết quả đạt được của chỉ tiêu: %(names)s.") % {"names": ", ".join(missing)})
    raise_if(errors)
    acceptance = Acceptance(
        project=locked,
        minutes_number=minutes_number.strip(),
        minutes_date=minutes_date,
        conclusion=conclusion,
        note=comment,
        recorded_by=actor,
    )
    validate_fields(acceptance, "project", "recorded_by")
    acceptance.save()
    return _finish(
        actor,
        project,
        locked,
        A.ACCEPT,
        comment=comment,
        decision_number=minutes_number,
        decision_date=minutes_date,
    )


@transaction.atomic
def project_close(
    *,
    actor,
    project: Project,
    closure_number: str = "",
    closure_date: datetime.date | None = None,
    comment: str = "",
) -> ProjectTransition:
    """Close the contract (thanh lý) of an accepted đề án."""
    locked = _begin(actor, project, A.CLOSE)
    locked.closure_number, locked.closure_date = (closure_number or "").strip(), closure_date
    return _finish(
        actor,
        project,
        locked,
        A.CLOSE,
        comment=comment,
        decision_number=closure_number,
        decision_date=closure_date,
    )


@transaction.atomic
def project_settle(
    *,
    actor,
    project: Project,
    amounts: Mapping[FundingSource | int, int],
    decision_number: str,
    decision_date: datetime.date | None,
    comment: str = "",
) -> ProjectTransition:
    """Approve the settlement (quyết toán) by decision, with the settled amount per source (counterpart
    funds included). A state-budget source cannot settle above its approved amount; each is reconciled
    against what was disbursed from it (counterpart funds aside), and a difference is flagged with its
    figures in the audit row."""
    locked = _begin(actor, project, A.SETTLE)
    errors = decision_errors(decision_number, decision_date, what=_("quyết định phê duyệt quyết toán"))
    by_id = {(s.pk if isinstance(s, FundingSource) else int(s)): a for s, a in (amounts or {}).items()}
    sources = FundingSource.objects.in_bulk(by_id)
    if not by_id:
        errors.append(_("Chưa nhập số quyết toán theo nguồn kinh phí."))
    approved = budget_by_source(locked)
    for source_id, amount in by_id.items():
        source = sources.get(source_id)
        if source is None:
            errors.append(_("Nguồn kinh phí không tồn tại."))
        elif not isinstance(amount, int) or amount < 0:
            errors.append(
                _("Số quyết toán nguồn «%(source)s» phải là số đồng không âm.") % {"source": source}
            )
        elif source.is_state_budget and amount > approved.get(source_id, 0):
            errors.append(
                _("Nguồn «%(source)s»: số quyết toán vượt kinh phí được duyệt.") % {"source": source.name}
            )
    raise_if(errors)
    warnings = settlement_differences(locked, by_id)
    for source_id, amount in by_id.items():
        SettlementLine.objects.create(project=locked, source_id=source_id, amount=amount)
    locked.settlement_decision_number, locked.settlement_decision_date = (
        decision_number.strip(),
        decision_date,
    )
    return _finish(
        actor,
        project,
        locked,
        A.SETTLE,
        comment=comment,
        decision_number=decision_number,
        decision_date=decision_date,
        warnings="\n".join(warnings),
    )


def settlement_differences(project: Project, settled: Mapping[int, int]) -> list[str]:
    """Each source paid through the portal (every source but the beneficiaries' own counterpart funds) whose
    settled amount differs from what was disbursed from it, with the figures: above it, the rest is still
    to be paid; below it, the difference is to be recovered."""
    paid = disbursed_by_source(project)
    sources = FundingSource.objects.in_bulk([*settled, *paid])
    found = []
    for source_id in sorted(set(settled) | set(paid)):
        source = sources.get(source_id)
        if source is None or source.is_counterpart:
            continue
        amount, disbursed = settled.get(source_id, 0), paid.get(source_id, 0)
        if amount == disbursed:
            continue
        figures = {
            "source": source.name,
            "settled": format_dong(amount),
            "paid": format_dong(disbursed),
            "diff": format_dong(abs(amount - disbursed)),
        }
        found.append(
            (
                _(
                    "Nguồn «%(source)s»: quyết toán %(settled)s đồng, đã giải ngân %(paid)s đồng: "
                    "còn phải chi %(diff)s đồng."
                )
                if amount > disbursed
                else _(
                    "Nguồn «%(source)s»: quyết toán %(settled)s đồng, đã giải ngân %(paid)s đồng: "
                    "phải thu hồi %(diff)s đồng."
                )
            )
            % figures
        )
    return found


# The services by move, for admin actions and tests driven from the table.
MOVE_SERVICES = {
    A.SUBMIT: project_submit,
    A.START_APPRAISAL: project_start_appraisal,
    A.RETURN: project_return,
    A.REJECT: project_reject,
    A.APPROVE: project_approve,
    A.CONTRACT: project_contract,
    A.START: project_start,
    A.REQUEST_ADJUSTMENT: project_request_adjustment,
    A.APPROVE_ADJUSTMENT: project_approve_adjustment,
    A.DECLINE_ADJUSTMENT: project_decline_adjustment,
    A.STOP: project_stop,
    A.WITHDRAW: project_withdraw,
    A.ACCEPT: project_accept,
    A.CLOSE: project_close,
    A.SETTLE: project_settle,
}

__all__ = [
    "MOVE_SERVICES",
    "lock_project",
    "require_step",
    *[f.__name__ for f in MOVE_SERVICES.values()],
]
