"""Demo đề án for Cần Thơ (92) and Hải Phòng (31): a 2025 local plan and đề án at every stage of the
lifecycle, driven through the services so the audit trail, appraisals, reports and money are real.

Idempotent: what exists (by code or tax code) is left alone. Needs places, reference data and the demo
accounts (run `bootstrap`, which calls this command).
"""

import datetime
import time
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from beneficiaries.models import Beneficiary, BeneficiaryKind
from beneficiaries.tax_code import make_check_digit
from places.models import AdministrativeUnit
from programs.models import ActivityContent, AnnualPlan, FundingSource, Indicator, PlanAllocation
from projects import services
from projects.models import AdvanceRule, BudgetLine, Project, ProjectBeneficiary, ProjectOutput
from projects.models import ProjectStatus as S

D = datetime.date
STAGES = [S.DRAFT, S.SUBMITTED, S.APPRAISING, S.APPROVED, S.CONTRACTED, S.IN_PROGRESS, S.ACCEPTED, S.SETTLED]
ORDER = [*STAGES, S.CLOSED]


@dataclass(frozen=True)
class City:
    code: str
    slug: str
    name: str
    allocation: int
    tax_prefix: int


CITIES = [
    City("92", "cantho", "thành phố Cần Thơ", 3_000_000_000, 180_000_100),
    City("31", "haiphong", "thành phố Hải Phòng", 2_500_000_000, 20_000_100),
]

# (suffix, title, final stage, content number, state budget, counterpart, indicator, planned)
PROJECTS = [
    (
        "dao-tao-dan-lat",
        "Đào tạo nghề đan lát lục bình cho lao động nông thôn",
        S.DRAFT,
        1,
        120_000_000,
        10_000_000,
        "trainees",
        35,
    ),
    ("dao-tao-may", "Đào tạo nghề may công nghiệp", S.SUBMITTED, 1, 150_000_000, 15_000_000, "trainees", 40),
    (
        "ung-dung-may-say",
        "Hỗ trợ ứng dụng máy sấy nông sản",
        S.APPRAISING,
        3,
        240_000_000,
        560_000_000,
        "machines",
        2,
    ),
    (
        "hoi-cho-2025",
        "Tổ chức hội chợ hàng công nghiệp nông thôn tiêu biểu",
        S.APPROVED,
        4,
        400_000_000,
        50_000_000,
        "booths",
        120,
    ),
    (
        "mo-hinh-banh-pia",
        "Mô hình trình diễn kỹ thuật sản xuất bánh pía",
        S.CONTRACTED,
        3,
        300_000_000,
        700_000_000,
        "demo-models",
        1,
    ),
    (
        "day-chuyen-dong-goi",
        "Hỗ trợ dây chuyền đóng gói sản phẩm",
        S.IN_PROGRESS,
        3,
        270_000_000,
        630_000_000,
        "machines",
        1,
    ),
    (
        "dao-tao-moc-my-nghe",
        "Đào tạo nghề mộc mỹ nghệ",
        S.ACCEPTED,
        1,
        180_000_000,
        20_000_000,
        "trainees",
        30,
    ),
    (
        "thuong-hieu-nuoc-mam",
        "Hỗ trợ xây dựng thương hiệu nước mắm truyền thống",
        S.SETTLED,
        4,
        90_000_000,
        30_000_000,
        "brands",
        1,
    ),
]
BENEFICIARIES = [
    ("Hợp tác xã đan lát lục bình", "htx", "Đan lát lục bình"),
    ("Công ty TNHH chế biến nông sản", "dn-nho-va-vua", "Chế biến nông sản"),
    ("Cơ sở sản xuất bánh pía", "dn-nho-va-vua", "Sản xuất bánh kẹo"),
    ("Công ty TNHH mộc mỹ nghệ", "dn-nho-va-vua", "Mộc mỹ nghệ"),
]


def tax_code(start: int, index: int) -> str:
    n = start + index * 7
    while True:
        nine = f"{n:09d}"
        try:
            return nine + make_check_digit(nine)
        except ValueError:
            n += 1


class Command(BaseCommand):
    help = "Tạo dữ liệu minh họa vòng đời đề án khuyến công (Cần Thơ, Hải Phòng, năm 2025)."

    def handle(self, *args, **options):
        started = time.monotonic()
        if not AdvanceRule.objects.exists():
            call_command("loaddata", "fixtures/reference/advance_rules.json", verbosity=0)
        created = 0
        with transaction.atomic():
            for city in CITIES:
                created += self.load_city(city)
        self.stdout.write(
            f"Dữ liệu minh họa đề án: tạo mới {created} đề án sau {time.monotonic() - started:.1f} giây."
        )

    def user(self, username: str):
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist as missing:
            raise CommandError(
                f"Thiếu tài khoản demo «{username}»: hãy chạy «manage.py bootstrap»."
            ) from missing

    def load_city(self, city: City) -> int:
        province = AdministrativeUnit.objects.get(era="new", level=1, code=city.code)
        officer, appraiser = self.user(f"canbo.{city.slug}"), self.user(f"thamdinh.{city.slug}")
        leader, centre = self.user(f"lanhdao.{city.slug}"), self.user(f"trungtam.{city.slug}")
        self.people = {"officer": officer, "appraiser": appraiser, "leader": leader, "centre": centre}
        kcdp, counterpart = FundingSource.objects.get(code="kcdp"), FundingSource.objects.get(code="doi-ung")
        plan, _ = AnnualPlan.objects.get_or_create(
            province=province,
            year=2025,
            kind=AnnualPlan.Kind.LOCAL,
            defaults={
                "name": f"Kế hoạch khuyến công địa phương năm 2025 — {city.name} (demo)",
                "agency": officer.staff_profile.agency,
                "decision_number": "demo-15/QĐ-UBND",
                "decision_date": D(2025, 1, 20),
                "decision_authority": f"Ủy ban nhân dân {city.name}",
                "is_demo": True,
            },
        )
        PlanAllocation.objects.get_or_create(plan=plan, source=kcdp, defaults={"amount": city.allocation})
        communes = list(
            AdministrativeUnit.objects.filter(era="new", level=3, province=province, kind="xa").order_by(
                "code"
            )[:8]
        )
        beneficiaries = []
        for index, (name, kind, industry) in enumerate(BENEFICIARIES):
            beneficiary, _ = Beneficiary.objects.get_or_create(
                tax_code=tax_code(city.tax_prefix, index),
                defaults={
                    "name": f"{name} {communes[index].name} (demo)",
                    "kind": BeneficiaryKind.objects.get(code=kind),
                    "province": province,
                    "current_unit": communes[index],
                    "unit_at_time": communes[index],
                    "industry": industry,
                    "employees": 12 + 5 * index,
                    "women_owned": index % 2 == 0,
                    "is_demo": True,
                },
            )
            beneficiaries.append(beneficiary)
        created = 0
        for number, spec in enumerate(PROJECTS):
            suffix, title, stage, content_number, state, own, indicator_code, planned = spec
            code = f"demo-{city.slug}-2025-{suffix}"
            if Project.objects.filter(code=code).exists():
                continue
            content = ActivityContent.objects.get(number=content_number)
            project = Project.objects.create(
                code=code,
                title=f"{title} (demo)",
                plan=plan,
                kind=Project.Kind.LOCAL,
                implementing_agency=centre.staff_profile.agency,
                site_address=communes[number % len(communes)].full_name,
                objectives=f"{title} tại {city.name}.",
                start_date=D(2025, 4, 1),
                end_date=D(2025, 11, 30),
                created_by=officer,
                is_demo=True,
                source_note="Dữ liệu minh họa",
            )
            project.contents.set([content])
            project.sites.set([communes[number % len(communes)]])
            BudgetLine.objects.create(
                project=project,
                source=kcdp,
                content=content,
                expense_item="Kinh phí hỗ trợ",
                amount=state,
                order=1,
            )
            BudgetLine.objects.create(
                project=project,
                source=counterpart,
                content=content,
                expense_item="Vốn đối ứng của cơ sở",
                amount=own,
                order=2,
            )
            ProjectBeneficiary.objects.create(
                project=project,
                beneficiary=beneficiaries[number % len(beneficiaries)],
                support_amount=state,
                counterpart_amount=own,
                counterpart_committed=True,
            )
            ProjectOutput.objects.create(
                project=project, indicator=Indicator.objects.get(code=indicator_code), planned=planned
            )
            self.drive(
                project, stage, kcdp=kcdp, counterpart=counterpart, state=state, own=own, planned=planned
            )
            created += 1
        return created

    def drive(
        self, project: Project, stage: str, *, kcdp, counterpart, state: int, own: int, planned: int
    ) -> None:
        """Take the đề án through the services up to `stage`, with the records each step leaves."""
        p = self.people
        target = ORDER.index(stage) if stage != S.SETTLED else len(ORDER)

        def reached(status) -> bool:
            return ORDER.index(status) <= target

        if not reached(S.SUBMITTED):
            return
        services.project_submit(actor=p["officer"], project=project)
        if not reached(S.APPRAISING):
            return
        services.project_start_appraisal(
            actor=p["officer"], project=project, comment="Đưa ra hội đồng thẩm định."
        )
        services.appraisal_submit(
            actor=p["appraiser"],
            project=project,
            score_fit=18,
            score_necessity=17,
            score_efficiency=16,
            score_budget=15,
            score_capacity=16,
            recommendation="approve",
            comment="Đề án phù hợp nội dung Nghị định 45, dự toán hợp lý.",
        )
        if not reached(S.APPROVED):
            return
        services.project_approve(
            actor=p["leader"],
            project=project,
            decision_number=f"demo-{project.pk}/QĐ-SCT",
            decision_date=D(2025, 3, 10),
            acknowledge_double_support=True,
            comment="Phê duyệt vào kế hoạch năm 2025.",
        )
        if not reached(S.CONTRACTED):
            return
        services.project_contract(
            actor=p["centre"],
            project=project,
            contract_number=f"demo-{project.pk}/HĐ-KC",
            contract_date=D(2025, 3, 25),
        )
        if not reached(S.IN_PROGRESS):
            return
        services.project_start(actor=p["centre"], project=project)
        advance = services.advance_request(
            actor=p["centre"], project=project, source=kcdp, amount=state * 30 // 100
        )
        services.advance_decide(actor=p["leader"], advance=advance, approve=True)
        services.disbursement_record(
            actor=p["centre"],
            project=project,
            source=kcdp,
            amount=advance.amount,
            paid_on=D(2025, 4, 15),
            reference=f"demo-UNC-{project.pk}-1",
            advance=advance,
        )
        months = (
            [D(2025, m, 1) for m in (4, 5, 6, 7)]
            if stage == S.IN_PROGRESS
            else [D(2025, m, 1) for m in range(4, 12)]
        )
        for index, month in enumerate(months):
            services.progress_report_submit(
                actor=p["centre"],
                project=project,
                month=month,
                percent_complete=min(100, 15 * (index + 1)),
                summary="Triển khai theo kế hoạch; đã tổ chức các hoạt động của tháng.",
            )
        if stage == S.IN_PROGRESS:
            second = services.advance_request(
                actor=p["centre"],
                project=project,
                source=kcdp,
                amount=state * 40 // 100,
                comment="Tạm ứng lần 2",
            )
            assert second.pk  # left for the leader to decide: shows in "my tasks"
            return
        indicator = project.outputs.get().indicator
        services.outputs_record(actor=p["centre"], project=project, achieved={indicator: planned})
        services.project_accept(
            actor=p["centre"],
            project=project,
            minutes_number=f"demo-{project.pk}/BB-NT",
            minutes_date=D(2025, 11, 28),
            comment="Đạt yêu cầu.",
        )
        services.disbursement_record(
            actor=p["centre"],
            project=project,
            source=kcdp,
            amount=state - advance.amount,
            paid_on=D(2025, 12, 10),
            reference=f"demo-UNC-{project.pk}-2",
        )
        if not reached(S.CLOSED) or stage == S.ACCEPTED:
            return
        services.project_close(
            actor=p["centre"],
            project=project,
            closure_number=f"demo-{project.pk}/BB-TL",
            closure_date=D(2026, 1, 15),
        )
        services.project_settle(
            actor=p["leader"],
            project=project,
            amounts={kcdp: state, counterpart: own},
            decision_number=f"demo-{project.pk}/QĐ-QT",
            decision_date=D(2026, 3, 5),
        )
