"""The daily digest: for each person, what is due soon and what is overdue for their role, sent once a day
and never twice for the same item on the same day (a run repeated by hand or by two timers sends nothing more).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from accounts.roles import user_roles
from accounts.scoping import user_province_id
from jobs.services import job_start
from projects.models import Project, WorkflowAction
from projects.permissions import is_read_only, is_system_admin, rules_cache, step_roles
from projects.selectors import overdue_reports, tasks_for

from .models import EmailPreference, ReminderSent

DUE_SOON_DAYS = 7
CLOSURE_DEADLINE = (1, 22)  # contracts of last year's đề án are closed (thanh lý) by 22 January
ITEMS_LISTED = 50  # a leader may have thousands waiting: the mail lists the first ones and counts the rest


@dataclass(frozen=True)
class Item:
    key: str
    overdue: bool
    text: str


@dataclass
class Summary:
    users: int = 0
    emails: int = 0
    items: int = 0
    skipped: int = 0  # items already reminded today
    recipients: list[str] = field(default_factory=list)


def _month(month: datetime.date) -> str:
    return month.strftime("%m/%Y")


def items_for(user, *, today: datetime.date) -> list[Item]:
    """Overdue first, then due soon: monthly progress reports (by the 25th), contract closure (by 22 January),
    advances waiting for a decision and đề án whose next step is this person's."""
    tasks = tasks_for(user, today=today)
    items: list[Item] = []
    for report in tasks.overdue_reports:
        items.append(
            Item(
                f"report:{report.project.pk}:{report.month:%Y-%m}",
                True,
                _("Đề án %(code)s: báo cáo tiến độ tháng %(month)s quá hạn từ %(due)s.")
                % {
                    "code": report.project.code,
                    "month": _month(report.month),
                    "due": f"{report.due_on:%d/%m/%Y}",
                },
            )
        )
    if _reports_progress(user):
        # Due within a week: what will be overdue a week from now and is not overdue yet.
        overdue_now = {(r.project.pk, r.month) for r in tasks.overdue_reports}
        mine = Project.objects.visible_to(user).filter(province_id=user_province_id(user))
        for report in overdue_reports(mine, today=today + datetime.timedelta(days=DUE_SOON_DAYS)):
            if (report.project.pk, report.month) in overdue_now or report.due_on < today:
                continue
            items.append(
                Item(
                    f"report:{report.project.pk}:{report.month:%Y-%m}",
                    False,
                    _("Đề án %(code)s: báo cáo tiến độ tháng %(month)s đến hạn ngày %(due)s.")
                    % {
                        "code": report.project.code,
                        "month": _month(report.month),
                        "due": f"{report.due_on:%d/%m/%Y}",
                    },
                )
            )
    deadline = datetime.date(today.year, *CLOSURE_DEADLINE)
    closing = [p for p, steps in tasks.projects if WorkflowAction.CLOSE in steps]
    if closing:
        last_year = set(
            Project.objects.filter(pk__in=[p.pk for p in closing], year=today.year - 1).values_list(
                "pk", flat=True
            )
        )
        for project in closing:
            if project.pk not in last_year:
                continue
            items.append(
                Item(
                    f"closure:{project.pk}:{today.year}",
                    today > deadline,
                    _("Đề án %(code)s: thanh lý hợp đồng trước ngày %(due)s.")
                    % {"code": project.code, "due": f"{deadline:%d/%m/%Y}"},
                )
            )
    for advance in tasks.advances_to_decide:
        items.append(
            Item(
                f"advance:{advance.pk}",
                False,
                _("Đề án %(code)s: đề nghị tạm ứng lần %(tranche)s chờ quyết định.")
                % {"code": advance.project.code, "tranche": advance.tranche},
            )
        )
    for project, steps in tasks.projects:
        if WorkflowAction.CLOSE in steps and any(i.key.startswith(f"closure:{project.pk}:") for i in items):
            continue
        labels = ", ".join(str(WorkflowAction(s).label) for s in steps)
        items.append(
            Item(
                f"step:{project.pk}:{project.status}",
                False,
                _("Đề án %(code)s (%(status)s) chờ bạn: %(steps)s.")
                % {"code": project.code, "status": project.get_status_display(), "steps": labels},
            )
        )
    items.sort(key=lambda i: not i.overdue)
    return items


def _reports_progress(user) -> bool:
    """Whether monthly progress reports are this person's to write (as `tasks_for` decides for overdue ones)."""
    province_id = user_province_id(user)
    if province_id is None or is_read_only(user):
        return False
    if is_system_admin(user):
        return True
    return bool(
        user_roles(user) & step_roles(WorkflowAction.REPORT_PROGRESS, province_id, cache=rules_cache(user))
    )


def _body(user, items: list[Item], today: datetime.date) -> tuple[str, str]:
    overdue = [i for i in items if i.overdue]
    soon = [i for i in items if not i.overdue]
    subject = _("[Khuyến công] Nhắc việc ngày %(day)s: %(overdue)s quá hạn, %(soon)s sắp đến hạn") % {
        "day": f"{today:%d/%m/%Y}",
        "overdue": len(overdue),
        "soon": len(soon),
    }
    lines = [_("Kính gửi %(name)s,") % {"name": user.get_full_name() or user.get_username()}, ""]
    for title, group in ((_("Quá hạn"), overdue), (_("Sắp đến hạn và chờ xử lý"), soon)):
        if not group:
            continue
        lines.append(f"{title} ({len(group)}):")
        lines += [f"- {i.text}" for i in group[:ITEMS_LISTED]]
        if len(group) > ITEMS_LISTED:
            lines.append(_("… và %(n)s việc khác trên cổng.") % {"n": len(group) - ITEMS_LISTED})
        lines.append("")
    base = getattr(settings, "PORTAL_BASE_URL", "").rstrip("/")
    lines.append(_("Xem và xử lý: %(url)s") % {"url": base + reverse("reports:dashboard")})
    lines.append(
        _("Không muốn nhận thư nhắc việc? Tắt tại: %(url)s")
        % {"url": base + reverse("reminders:preferences")}
    )
    return subject, "\n".join(lines)


def reminders_send(*, today: datetime.date | None = None, dry_run: bool = False) -> Summary:
    """Send each active person with an e-mail address their digest of items not yet reminded today."""
    today = today or timezone.localdate()
    summary = Summary()
    users = (
        get_user_model()
        .objects.filter(is_active=True, staff_profile__isnull=False)
        .exclude(email="")
        .exclude(email_preference__reminders=False)
        .order_by("pk")
    )
    for user in users:
        summary.users += 1
        with override(settings.LANGUAGE_CODE):
            items = items_for(user, today=today)
            if not items:
                continue
            with transaction.atomic():
                # One run at a time per person: the preference row is the lock, the constraint the guarantee.
                EmailPreference.objects.get_or_create(user=user)
                EmailPreference.objects.select_for_update().get(user=user)
                already = set(
                    ReminderSent.objects.filter(
                        user=user, day=today, item__in=[i.key for i in items]
                    ).values_list("item", flat=True)
                )
                fresh = [i for i in items if i.key not in already]
                summary.skipped += len(items) - len(fresh)
                if not fresh or dry_run:
                    summary.items += len(fresh) if dry_run else 0
                    continue
                ReminderSent.objects.bulk_create(
                    [ReminderSent(user=user, item=i.key, day=today) for i in fresh]
                )
                subject, body = _body(user, fresh, today)
                job_start(
                    actor=None,
                    handler="jobs.send_mail",
                    label=subject,
                    params={"messages": [[subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]]]},
                    max_attempts=5,
                )
            summary.emails += 1
            summary.items += len(fresh)
            summary.recipients.append(user.email)
    return summary
