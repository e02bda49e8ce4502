"""Records kept along a đề án's life: appraisal sheets, monthly reports, advances, disbursements, outputs.

Same rules as the moves: permission check, lock on the đề án, Vietnamese ValidationError naming what is
wrong, nothing written when refused.
"""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from khuyencong.money import format_dong
from programs.models import FundingSource, Indicator

from ..models import (
    Advance,
    AdvanceRule,
    Appraisal,
    Disbursement,
    ProgressReport,
    Project,
    ProjectOutput,
    ProjectStatus,
    WorkflowAction,
    due_date_for,
)
from ..notifications import queue_advance_notification
from ..selectors import advanced_by_source, budget_by_source, disbursed_by_source, report_start
from ..workflow import action_allowed_in
from .checks import raise_if, validate_fields
from .workflow import lock_project, require_step

A = WorkflowAction


def _begin_record(actor, project: Project, action: str) -> Project:
    locked = lock_project(project)
    require_step(actor, locked, action)
    if not action_allowed_in(action, locked.status):
        raise ValidationError(
            _("Không thể «%(step)s» khi đề án ở trạng thái «%(status)s».")
            % {"step": A(action).label, "status": locked.get_status_display()}
        )
    return locked


@transaction.atomic
def appraisal_submit(
    *,
    actor,
    project: Project,
    score_fit: int,
    score_necessity: int,
    score_efficiency: int,
    score_budget: int,
    score_capacity: int,
    recommendation: str,
    comment: str = "",
) -> Appraisal:
    """An appraiser sends (or corrects) their scoring sheet while the đề án is under appraisal: the Sở's
    council at the local appraisal, the Ministry's council when the Cục appraises a national đề án."""
    step = A.CUC_APPRAISE if project.status == ProjectStatus.CUC_REVIEW else A.APPRAISE
    locked = _begin_record(actor, project, step)
    sheet = Appraisal.objects.filter(project=locked, appraiser=actor).first() or Appraisal(
        project=locked, appraiser=actor
    )
    sheet.score_fit, sheet.score_necessity, sheet.score_efficiency = (
        score_fit,
        score_necessity,
        score_efficiency,
    )
    sheet.score_budget, sheet.score_capacity = score_budget, score_capacity
    sheet.recommendation, sheet.comment = recommendation, comment
    sheet.submitted_at = timezone.now()
    validate_fields(sheet, "project", "appraiser")
    sheet.save()
    return sheet


@transaction.atomic
def progress_report_submit(
    *,
    actor,
    project: Project,
    month: datetime.date,
    percent_complete: int,
    summary: str,
    today: datetime.date | None = None,
) -> ProgressReport:
    """The implementing unit's report for a month (due by the 25th); one per month, not for the future."""
    locked = _begin_record(actor, project, A.REPORT_PROGRESS)
    month = month.replace(day=1)
    today = today or timezone.localdate()
    errors = []
    if month > today.replace(day=1):
        errors.append(_("Không thể báo cáo cho tháng chưa đến."))
    start = report_start(locked)
    first = start.replace(day=1) if start else None
    last = locked.end_date.replace(day=1) if locked.end_date else None
    if (first and month < first) or (last and month > last):
        errors.append(
            _("Tháng %(month)s nằm ngoài thời gian thực hiện đề án (%(start)s – %(end)s).")
            % {
                "month": month.strftime("%m/%Y"),
                "start": first.strftime("%m/%Y") if first else "…",
                "end": last.strftime("%m/%Y") if last else "…",
            }
        )
    if ProgressReport.objects.filter(project=locked, month=month).exists():
        errors.append(_("Tháng %(month)s đã có báo cáo tiến độ.") % {"month": month.strftime("%m/%Y")})
    if not (summary or "").strip():
        errors.append(_("Chưa ghi tình hình thực hiện."))
    raise_if(errors)
    report = ProgressReport(
        project=locked,
        month=month,
        percent_complete=percent_complete,
        summary=summary.strip(),
        reported_by=actor,
        submitted_at=timezone.now(),
    )
    report.due_on = due_date_for(month)
    validate_fields(report, "project", "reported_by")
    report.save()
    return report


def latest_percent_complete(project: Project) -> int:
    return (
        ProgressReport.objects.filter(project=project)
        .order_by("-month")
        .values_list("percent_complete", flat=True)
        .first()
        or 0
    )


def applicable_advance_rules(project: Project, *, on: datetime.date) -> list[AdvanceRule]:
    """Rules in force for the đề án's contents (or any content) whose progress condition is met."""
    done = latest_percent_complete(project)
    return list(
        AdvanceRule.objects.filter(Q(content__isnull=True) | Q(content__in=project.contents.all()))
        .filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=on), Q(valid_to__isnull=True) | Q(valid_to__gte=on)
        )
        .filter(min_percent_complete__lte=done)
        .order_by("-percentage", "id")
    )


@dataclass(frozen=True)
class AdvanceLimit:
    """How much of one source's approved money may be advanced now, under the rule in force."""

    source: FundingSource
    approved: int
    rule: AdvanceRule
    asked: int

    @property
    def limit(self) -> int:
        return self.approved * self.rule.percentage // 100

    @property
    def available(self) -> int:
        return max(0, self.limit - self.asked)


def advance_limits(project: Project, *, on: datetime.date) -> list[AdvanceLimit]:
    """The advance limit of each non-counterpart source of the đề án (empty when no rule applies): shown on
    the request form before submitting, and the same figures `advance_request` checks."""
    rules = applicable_advance_rules(project, on=on)
    if not rules:
        return []
    approved = budget_by_source(project)
    asked = advanced_by_source(project, statuses=(Advance.Status.REQUESTED, Advance.Status.APPROVED))
    sources = FundingSource.objects.filter(pk__in=[pk for pk, total in approved.items() if total])
    return [
        AdvanceLimit(source=s, approved=approved[s.pk], rule=rules[0], asked=asked.get(s.pk, 0))
        for s in sources.filter(is_counterpart=False).order_by("pk")
    ]


@transaction.atomic
def advance_request(
    *,
    actor,
    project: Project,
    source: FundingSource,
    amount: int,
    comment: str = "",
) -> Advance:
    """Ask for the next tranche of advance from one source. All tranches asked or granted may not pass the
    highest share allowed by the advance rules (content and progress reached). Tells who decides."""
    locked = _begin_record(actor, project, A.REQUEST_ADVANCE)
    errors = []
    if not isinstance(amount, int) or amount <= 0:
        raise ValidationError(_("Số tiền tạm ứng phải là số đồng dương."))
    approved = budget_by_source(locked).get(source.pk, 0)
    if not approved:
        raise ValidationError(
            _("Đề án không có kinh phí được duyệt từ nguồn «%(source)s».") % {"source": source}
        )
    rules = applicable_advance_rules(locked, on=timezone.localdate())
    if not rules:
        raise ValidationError(_("Chưa có quy định tạm ứng nào áp dụng cho đề án này."))
    rule = rules[0]
    asked = advanced_by_source(locked, statuses=(Advance.Status.REQUESTED, Advance.Status.APPROVED)).get(
        source.pk, 0
    )
    limit = approved * rule.percentage // 100
    if asked + amount > limit:
        errors.append(
            _(
                "Tạm ứng vượt mức cho phép: tối đa %(percent)s%% kinh phí được duyệt nguồn «%(source)s» "
                "(%(limit)s), đã đề nghị/được duyệt %(asked)s — %(condition)s (%(basis)s)."
            )
            % {
                "percent": rule.percentage,
                "source": source.name,
                "limit": format_dong(limit, unit=True),
                "asked": format_dong(asked, unit=True),
                "condition": rule.condition,
                "basis": rule.legal_basis,
            }
        )
    raise_if(errors)
    tranche = (Advance.objects.filter(project=locked).aggregate(n=Max("tranche"))["n"] or 0) + 1
    advance = Advance(
        project=locked,
        source=source,
        tranche=tranche,
        amount=amount,
        rule=rule,
        requested_by=actor,
        comment=comment,
    )
    validate_fields(advance, "project", "source", "rule", "requested_by")
    advance.save()
    queue_advance_notification(advance=advance)
    return advance


@transaction.atomic
def advance_decide(
    *,
    actor,
    advance: Advance,
    approve: bool,
    comment: str = "",
    decision_date: datetime.date | None = None,
) -> Advance:
    """Grant or refuse a requested advance on its decision date (today unless a decision taken on paper is
    entered later; never in the future): reports count it by that date. Tells the requester."""
    locked_project = _begin_record(actor, advance.project, A.DECIDE_ADVANCE)
    locked = Advance.objects.select_for_update().get(pk=advance.pk)
    if locked.status != Advance.Status.REQUESTED:
        raise ValidationError(_("Đề nghị tạm ứng này đã được xử lý."))
    decision_date = decision_date or timezone.localdate()
    if decision_date > timezone.localdate():
        raise ValidationError(_("Ngày quyết định không được sau hôm nay."))
    locked.status = Advance.Status.APPROVED if approve else Advance.Status.REJECTED
    locked.decided_by, locked.decided_at = actor, timezone.now()
    locked.decision_date = decision_date
    if comment:
        locked.comment = f"{locked.comment}\n{comment}".strip()
    locked.save()
    locked.project = locked_project
    queue_advance_notification(advance=locked)
    advance.refresh_from_db()
    return locked


@transaction.atomic
def disbursement_record(
    *,
    actor,
    project: Project,
    source: FundingSource,
    amount: int,
    paid_on: datetime.date,
    reference: str = "",
    advance: Advance | None = None,
) -> Disbursement:
    """Record a payment. What is disbursed from a source never exceeds what was approved from it; before
    acceptance it never exceeds the granted advances."""
    locked = _begin_record(actor, project, A.RECORD_DISBURSEMENT)
    if not isinstance(amount, int) or amount <= 0:
        raise ValidationError(_("Số tiền giải ngân phải là số đồng dương."))
    reference = (reference or "").strip()
    errors = []
    earlier = locked.disbursements.filter(reference__iexact=reference).first() if reference else None
    if earlier is not None:
        errors.append(
            _(
                "Số chứng từ «%(voucher)s» đã được ghi cho lần giải ngân ngày %(day)s (%(amount)s) của đề án "
                "này; một chứng từ chỉ ghi một lần. Nếu là chứng từ khác, hãy ghi đúng số của nó."
            )
            % {
                "voucher": reference,
                "day": earlier.paid_on.strftime("%d/%m/%Y"),
                "amount": format_dong(earlier.amount, unit=True),
            }
        )
    if paid_on > timezone.localdate():
        errors.append(_("Ngày chi không được sau hôm nay."))
    paid = disbursed_by_source(locked).get(source.pk, 0)
    approved = budget_by_source(locked).get(source.pk, 0)
    if paid + amount > approved:
        errors.append(
            _("Nguồn «%(source)s»: giải ngân %(total)s vượt kinh phí được duyệt %(approved)s.")
            % {
                "source": source.name,
                "total": format_dong(paid + amount, unit=True),
                "approved": format_dong(approved, unit=True),
            }
        )
    elif locked.status not in (ProjectStatus.ACCEPTED, ProjectStatus.CLOSED):
        granted = advanced_by_source(locked).get(source.pk, 0)
        if paid + amount > granted:
            errors.append(
                _(
                    "Nguồn «%(source)s»: trước nghiệm thu chỉ được giải ngân trong số tạm ứng đã duyệt "
                    "(%(granted)s)."
                )
                % {"source": source.name, "granted": format_dong(granted, unit=True)}
            )
    if advance is not None and (advance.project_id != locked.pk or advance.status != Advance.Status.APPROVED):
        errors.append(_("Đề nghị tạm ứng được chọn không thuộc đề án hoặc chưa được duyệt."))
    raise_if(errors)
    disbursement = Disbursement(
        project=locked,
        source=source,
        amount=amount,
        paid_on=paid_on,
        reference=reference,
        advance=advance,
        recorded_by=actor,
    )
    validate_fields(disbursement, "project", "source", "advance", "recorded_by")
    disbursement.save()
    return disbursement


@transaction.atomic
def outputs_record(
    *, actor, project: Project, achieved: Mapping[Indicator | int, int | None]
) -> list[ProjectOutput]:
    """Record achieved outputs per indicator (an indicator not planned is added with no plan)."""
    locked = _begin_record(actor, project, A.RECORD_OUTPUTS)
    by_id = {(i.pk if isinstance(i, Indicator) else int(i)): v for i, v in achieved.items()}
    errors = []
    if any(
        v is not None and (not isinstance(v, int) or isinstance(v, bool) or v < 0) for v in by_id.values()
    ):
        errors.append(_("Kết quả đạt được phải là số nguyên không âm."))
    if set(by_id) - set(Indicator.objects.filter(pk__in=by_id).values_list("pk", flat=True)):
        errors.append(_("Chỉ tiêu không tồn tại."))
    raise_if(errors)
    rows = []
    for indicator_id, value in by_id.items():
        row, _created = ProjectOutput.objects.get_or_create(project=locked, indicator_id=indicator_id)
        row.achieved = value
        row.save(update_fields=["achieved"])
        rows.append(row)
    return rows
