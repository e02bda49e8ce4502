"""The deadlines a person keeps, worked out from the records they can see.

The dates are the procedure's (domain rules, with their basis): the list of đề án for next year's plan
reaches the Cục before 20 June (TT 36/2013/TT-BCT as amended by TT 17/2018/TT-BCT); each đề án in progress
reports its monthly progress before the 25th; contracts are closed and settled no later than 22 January
of the following year; and a certification lapses on its expiry date.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.roles import Role, has_role
from beneficiaries.models import Certification
from projects.models import Project, ProjectStatus

PLAN_REGISTRATION = (6, 20)  # month, day
PROGRESS_DAY = 25
CLOSURE = (1, 22)

# Who keeps these deadlines: the province's staff (the Ministry reads, it does not report).
DEADLINE_ROLES = (Role.OFFICER, Role.CENTRE, Role.LEADER, Role.APPRAISER)
REPORTING = (ProjectStatus.IN_PROGRESS, ProjectStatus.ADJUSTING)
TO_CLOSE = (
    ProjectStatus.CONTRACTED,
    ProjectStatus.IN_PROGRESS,
    ProjectStatus.ADJUSTING,
    ProjectStatus.ACCEPTED,
)


@dataclass(frozen=True)
class Deadline:
    day: datetime.date
    kind: str
    title: str
    url: str
    uid: str


def _months(start: datetime.date, end: datetime.date):
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def deadlines_for(user, start: datetime.date, end: datetime.date) -> list[Deadline]:
    """Every deadline of the user's work between two days, soonest first."""
    if not getattr(user, "is_authenticated", False) or not has_role(user, *DEADLINE_ROLES):
        return []
    result: list[Deadline] = []
    for year in range(start.year, end.year + 1):
        day = datetime.date(year, *PLAN_REGISTRATION)
        if start <= day <= end:
            result.append(
                Deadline(
                    day,
                    "plan",
                    _("Hạn gửi danh mục đề án khuyến công quốc gia năm %(year)s lên Cục")
                    % {"year": year + 1},
                    reverse("programs:plan_list"),
                    f"plan-{year}",
                )
            )
    visible = Project.objects.visible_to(user)
    reporting = list(visible.filter(status__in=REPORTING).only("pk", "code", "title"))
    for year, month in _months(start, end):
        day = datetime.date(year, month, PROGRESS_DAY)
        if not start <= day <= end:
            continue
        for project in reporting:
            result.append(
                Deadline(
                    day,
                    "progress",
                    _("Báo cáo tiến độ tháng %(month)s/%(year)s: %(code)s")
                    % {"month": month, "year": year, "code": project.code},
                    reverse("projects:detail", kwargs={"pk": project.pk}),
                    f"progress-{project.pk}-{year}-{month:02d}",
                )
            )
    for project in visible.filter(status__in=TO_CLOSE, year__gte=start.year - 1, year__lte=end.year).only(
        "pk", "code", "title", "year"
    ):
        day = datetime.date(project.year + 1, *CLOSURE)
        if start <= day <= end:
            result.append(
                Deadline(
                    day,
                    "closure",
                    _("Hạn thanh lý, quyết toán: %(code)s %(title)s")
                    % {"code": project.code, "title": project.title},
                    reverse("projects:detail", kwargs={"pk": project.pk}),
                    f"closure-{project.pk}",
                )
            )
    from beneficiaries.models import Beneficiary

    certifications = Certification.objects.filter(
        beneficiary__in=Beneficiary.objects.visible_to(user), expires_on__gte=start, expires_on__lte=end
    ).select_related("beneficiary")
    for cert in certifications:
        result.append(
            Deadline(
                cert.expires_on,
                "certification",
                _("Hết hiệu lực chứng nhận %(scheme)s «%(product)s» của %(name)s")
                % {
                    "scheme": cert.get_scheme_display(),
                    "product": cert.product_name,
                    "name": cert.beneficiary.name,
                },
                reverse("beneficiaries:detail", kwargs={"pk": cert.beneficiary_id}),
                f"certification-{cert.pk}",
            )
        )
    return sorted(result, key=lambda d: (d.day, d.kind, d.title))
