"""E-mails to the people whose turn it is, queued to leave only after the move is committed."""

import logging

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.roles import GROUP_NAMES, MINISTRY_ACTING_ROLES
from jobs.services import job_start
from khuyencong.money import format_dong

from .models import Advance, Project, ProjectTransition, WorkflowAction
from .permissions import step_roles
from .workflow import MOVES, OPTIONAL_MOVES, PLAN_MOVES, RECORD_STATUSES

logger = logging.getLogger(__name__)

# Steps that never make it anyone's turn on their own (always possible, or a record kept in passing).
_NOT_A_TURN = {
    WorkflowAction.UPLOAD_DOCUMENT,
    WorkflowAction.RECORD_DISBURSEMENT,
    WorkflowAction.DECIDE_ADVANCE,
}


def actions_waiting_in(status: str) -> list[str]:
    """The steps someone can take on a đề án in `status`: whose turn it is."""
    moves = [
        m.action
        for m in MOVES.values()
        if status in m.sources and m.action not in OPTIONAL_MOVES and m.action not in PLAN_MOVES
    ]
    records = [a for a, statuses in RECORD_STATUSES.items() if status in statuses and a not in _NOT_A_TURN]
    return moves + records


def recipients(project: Project, actions: list[str], *, exclude_user_id: int | None = None) -> list[str]:
    """E-mail addresses of the active users who take any of `actions`: of the đề án's province, and for a
    national đề án also the Ministry's acting roles named by its step table (they work for every province)."""
    roles: set[str] = set()
    rules: dict = {}
    for action in actions:
        roles |= step_roles(action, project.province_id, cache=rules, kind=project.kind)
    if not roles:
        return []
    where = Q(staff_profile__agency__province_id=project.province_id) & Q(
        groups__name__in=[GROUP_NAMES[r] for r in roles - MINISTRY_ACTING_ROLES if r in GROUP_NAMES]
    )
    ministry = roles & MINISTRY_ACTING_ROLES
    if ministry and project.kind == Project.Kind.NATIONAL:
        where |= Q(groups__name__in=[GROUP_NAMES[r] for r in ministry])
    users = (
        get_user_model()
        .objects.filter(where, is_active=True)
        .exclude(email="")
        .exclude(pk=exclude_user_id)
        .exclude(email_preference__workflow=False)  # turned off on the "Thư nhận từ cổng" page
        .distinct()
    )
    return sorted(set(users.values_list("email", flat=True)))


def _queue(subject: str, body: str, emails: list[str]) -> None:
    if not emails:
        return
    from django.conf import settings

    messages = [(subject, body, settings.DEFAULT_FROM_EMAIL, [email]) for email in emails]
    # Sent by the background worker once the move is committed; a mail server outage is retried there and
    # never undoes or slows the move.
    job_start(
        actor=None, handler="jobs.send_mail", label=subject, params={"messages": messages}, max_attempts=5
    )


def queue_move_notification(*, project: Project, transition: ProjectTransition) -> None:
    """Tell the people who take the next step that the đề án waits on them."""
    emails = recipients(
        project, actions_waiting_in(transition.to_status), exclude_user_id=transition.actor_id
    )
    subject = _("[Khuyến công] Đề án %(code)s: %(status)s") % {
        "code": project.code,
        "status": transition.get_to_status_display(),
    }
    lines = [
        _("Đề án: %(title)s") % {"title": project.title},
        _("Chuyển từ «%(old)s» sang «%(new)s».")
        % {"old": transition.get_from_status_display(), "new": transition.get_to_status_display()},
        _("Người thực hiện: %(actor)s") % {"actor": transition.actor.get_full_name() or transition.actor},
    ]
    if transition.decision_number:
        lines.append(_("Số quyết định/văn bản: %(number)s") % {"number": transition.decision_number})
    if transition.comment:
        lines.append(_("Ý kiến: %(comment)s") % {"comment": transition.comment})
    lines.append(_("Vui lòng đăng nhập cổng khuyến công để xử lý bước tiếp theo."))
    _queue(subject, "\n".join(lines), emails)


def queue_advance_notification(*, advance: Advance) -> None:
    """A requested advance goes to those who decide it; a decided one back to the requester."""
    project = advance.project
    if advance.status == Advance.Status.REQUESTED:
        emails = recipients(project, [WorkflowAction.DECIDE_ADVANCE], exclude_user_id=advance.requested_by_id)
    else:
        emails = [advance.requested_by.email] if advance.requested_by.email else []
    subject = _("[Khuyến công] Đề án %(code)s: tạm ứng lần %(tranche)s — %(status)s") % {
        "code": project.code,
        "tranche": advance.tranche,
        "status": advance.get_status_display(),
    }
    body = _("Đề án: %(title)s\nSố tiền: %(amount)s\nNguồn: %(source)s") % {
        "title": project.title,
        "amount": format_dong(advance.amount, unit=True),
        "source": advance.source,
    }
    _queue(subject, body, emails)
