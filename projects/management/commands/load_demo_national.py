"""Demo national đề án (khuyến công quốc gia) for Cần Thơ and Hải Phòng, driven through the same services
as the pages: registration with the Sở, local appraisal and forwarding, the Cục's appraisal, the national
plan 2026 approved by (demo) decision, contract, monthly progress, advance, disbursement, acceptance,
closure and settlement; and the next year's dossiers waiting at each desk. Everything is marked demo.

Idempotent: if the demo national plan 2026 exists, nothing is done. Needs the demo accounts and
`load_demo`'s beneficiaries (run `bootstrap`, which calls this command).
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from beneficiaries.models import Beneficiary
from places.models import AdministrativeUnit
from programs.models import ActivityContent, AnnualPlan, FundingSource, Indicator, Programme
from projects import services
from projects.management.commands.load_demo import demo_budget_lines
from projects.models import NationalPlan, Project, ProjectBeneficiary, ProjectOutput

D = datetime.date
CITIES = {"cantho": ("92", "thành phố Cần Thơ"), "haiphong": ("31", "thành phố Hải Phòng")}
# code suffix, city, title, content, national money, counterpart, indicator, planned, stage, year
PROJECTS = [
    (
        "may-moc",
        "cantho",
        "Hỗ trợ ứng dụng máy may công nghiệp tiên tiến",
        3,
        300_000_000,
        700_000_000,
        "machines",
        4,
        "settled",
        2026,
    ),
    (
        "dao-tao",
        "haiphong",
        "Đào tạo nghề may công nghiệp cho lao động nông thôn",
        1,
        250_000_000,
        0,
        "trainees",
        150,
        "in_progress",
        2026,
    ),
    (
        "mo-hinh",
        "cantho",
        "Mô hình trình diễn kỹ thuật sấy nông sản",
        3,
        240_000_000,
        560_000_000,
        "machines",
        2,
        "forwarded",
        2027,
    ),
    (
        "tu-van",
        "haiphong",
        "Tư vấn cải tiến mẫu mã sản phẩm thủ công",
        1,
        120_000_000,
        0,
        "trainees",
        40,
        "cuc_review",
        2027,
    ),
    (
        "noi-bat",
        "cantho",
        "Hỗ trợ phát triển sản phẩm công nghiệp nông thôn tiêu biểu",
        1,
        90_000_000,
        0,
        "trainees",
        30,
        "late",
        2027,
    ),
    (
        "vung",
        "haiphong",
        "Tập huấn liên tỉnh về sản xuất sạch hơn (nộp thẳng Cục)",
        1,
        110_000_000,
        0,
        "trainees",
        60,
        "direct",
        2027,
    ),
]
SCORES = {
    "score_fit": 18,
    "score_necessity": 17,
    "score_efficiency": 16,
    "score_budget": 16,
    "score_capacity": 17,
}


class Command(BaseCommand):
    help = "Tạo dữ liệu minh họa đề án khuyến công quốc gia (Cần Thơ, Hải Phòng, năm 2026–2027)."

    def user(self, username: str):
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist as missing:
            raise CommandError(
                f"Thiếu tài khoản demo «{username}»: hãy chạy «manage.py bootstrap»."
            ) from missing

    def handle(self, *args, **options):
        if NationalPlan.objects.filter(year=2026, is_demo=True).exists():
            self.stdout.write("Dữ liệu minh họa khuyến công quốc gia đã có.")
            return
        with transaction.atomic():
            count = self.load()
        self.stdout.write(f"Dữ liệu minh họa khuyến công quốc gia: {count} đề án.")

    def load(self) -> int:
        self.cuc = {
            "officer": self.user("chuyenvien.cuc"),
            "council": self.user("hoidong.bo"),
            "leader": self.user("lanhdao.cuc"),
        }
        kcqg, counterpart = FundingSource.objects.get(code="kcqg"), FundingSource.objects.get(code="doi-ung")
        made: dict[str, Project] = {}
        for suffix, city, title, number, money, own, indicator, planned, stage, year in PROJECTS:
            code, name = CITIES[city]
            province = AdministrativeUnit.objects.get(era="new", level=1, code=code)
            centre = self.user(f"trungtam.{city}")
            plan, _ = AnnualPlan.objects.get_or_create(
                province=province,
                year=year,
                kind=AnnualPlan.Kind.NATIONAL,
                defaults={
                    "name": f"Đề án khuyến công quốc gia năm {year} thực hiện tại {name} (demo)",
                    "agency": centre.staff_profile.agency,
                    "is_demo": True,
                },
            )
            content = ActivityContent.objects.get(number=number)
            commune = (
                AdministrativeUnit.objects.filter(era="new", level=3, province=province)
                .order_by("code")
                .first()
            )
            project = Project.objects.create(
                code=f"demo-kcqg-{city}-{year}-{suffix}",
                title=f"{title} (demo)",
                plan=plan,
                kind=Project.Kind.NATIONAL,
                implementing_agency=centre.staff_profile.agency,
                files_with_ministry=stage == "direct",
                site_address=commune.full_name,
                objectives=f"{title} tại {name}.",
                start_date=D(year, 3, 1),
                end_date=D(year, 11, 30),
                created_by=centre,
                is_demo=True,
                source_note="Dữ liệu minh họa",
            )
            project.contents.set([content])
            project.sites.set([commune])
            demo_budget_lines(
                project,
                content=content,
                source=kcqg,
                item="Kinh phí khuyến công quốc gia",
                state=money,
                own=own,
                counterpart=counterpart,
            )
            beneficiary = Beneficiary.objects.filter(province=province, is_demo=True).order_by("pk").first()
            if beneficiary is not None:
                ProjectBeneficiary.objects.create(
                    project=project,
                    beneficiary=beneficiary,
                    support_amount=money,
                    counterpart_amount=own,
                    counterpart_committed=True,
                )
            ProjectOutput.objects.create(
                project=project, indicator=Indicator.objects.get(code=indicator), planned=planned
            )
            self.register(project, city, stage, year)
            made[suffix] = project
        # The national plan 2026 (demo decision), with the two đề án of 2026.
        plan_2026 = services.national_plan_create(
            actor=self.cuc["officer"],
            year=2026,
            name="Kế hoạch khuyến công quốc gia năm 2026 (demo)",
            total=800_000_000,
            programme=Programme.objects.filter(code="ctkcqg-2026-2030").first(),
            is_demo=True,
        )
        for suffix in ("may-moc", "dao-tao"):
            project = made[suffix]
            services.appraisal_submit(
                actor=self.cuc["council"], project=project, recommendation="approve", **SCORES
            )
            services.national_plan_line_set(
                actor=self.cuc["officer"],
                plan=plan_2026,
                project=project,
                content=project.contents.get(),
                amount=project.budget_lines.get(source__code="kcqg").amount,
            )
        services.national_plan_approve(
            actor=self.cuc["leader"],
            plan=plan_2026,
            decision_number="demo-2150/QĐ-BCT",
            decision_date=D(2025, 12, 20),
            acknowledge_double_support=True,
            comment="Phê duyệt kế hoạch khuyến công quốc gia năm 2026 (demo).",
        )
        self.implement(made["may-moc"], "cantho", finish=True)
        self.implement(made["dao-tao"], "haiphong", finish=False)
        # The plan 2027 in draft, holding the đề án the Cục has appraised: waiting on the leadership.
        plan_2027 = services.national_plan_create(
            actor=self.cuc["officer"],
            year=2027,
            name="Kế hoạch khuyến công quốc gia năm 2027 (demo, dự thảo)",
            total=500_000_000,
            is_demo=True,
        )
        services.appraisal_submit(
            actor=self.cuc["council"], project=made["tu-van"], recommendation="approve", **SCORES
        )
        services.national_plan_line_set(
            actor=self.cuc["officer"],
            plan=plan_2027,
            project=made["tu-van"],
            content=made["tu-van"].contents.get(),
            amount=120_000_000,
        )
        return len(made)

    def register(self, project: Project, city: str, stage: str, year: int) -> None:
        officer, appraiser = self.user(f"canbo.{city}"), self.user(f"thamdinh.{city}")
        leader, centre = self.user(f"lanhdao.{city}"), self.user(f"trungtam.{city}")
        if stage == "late":
            services.project_submit(
                actor=centre,
                project=project,
                today=D(year - 1, 6, 2),
                late_reason="Chờ kết quả khảo sát nhu cầu cơ sở (demo).",
            )
            services.project_start_appraisal(actor=officer, project=project)
            return
        services.project_submit(actor=centre, project=project, today=D(year - 1, 5, 10))
        if stage == "direct":
            return
        services.project_start_appraisal(actor=officer, project=project, comment="Thẩm định cấp cơ sở.")
        services.appraisal_submit(actor=appraiser, project=project, recommendation="approve", **SCORES)
        services.project_forward(
            actor=leader, project=project, today=D(year - 1, 6, 15), comment="Gửi Cục theo danh sách của Sở."
        )
        if stage == "forwarded":
            return
        services.project_cuc_receive(actor=self.cuc["officer"], project=project)

    def implement(self, project: Project, city: str, *, finish: bool) -> None:
        centre, officer = self.user(f"trungtam.{city}"), self.user(f"canbo.{city}")
        kcqg = FundingSource.objects.get(code="kcqg")
        money = project.budget_lines.get(source=kcqg).amount
        services.project_contract(
            actor=self.cuc["officer"],
            project=project,
            contract_number=f"demo-{project.pk}/HĐ-CĐMST",
            contract_date=D(2026, 2, 20),
        )
        services.project_start(actor=centre, project=project)
        for month, percent in ((3, 20), (4, 45)):
            services.progress_report_submit(
                actor=centre,
                project=project,
                month=D(2026, month, 1),
                percent_complete=percent,
                summary=f"Đã thực hiện {percent}% khối lượng (demo).",
                today=D(2026, month, 22),
            )
        advance = services.advance_request(
            actor=centre, project=project, source=kcqg, amount=money * 30 // 100
        )
        services.advance_decide(
            actor=self.cuc["leader"], advance=advance, approve=True, comment="Duyệt tạm ứng lần 1 (demo)."
        )
        services.disbursement_record(
            actor=self.cuc["officer"],
            project=project,
            source=kcqg,
            amount=advance.amount,
            paid_on=D(2026, 3, 10),
            reference=f"demo-UNC-{project.pk}",
            advance=advance,
        )
        if not finish:
            return
        output = project.outputs.get()
        services.outputs_record(actor=centre, project=project, achieved={output.indicator: output.planned})
        services.project_accept(
            actor=officer,
            project=project,
            minutes_number=f"demo-{project.pk}/BB-NT",
            minutes_date=D(2026, 11, 25),
            comment="Sở Công Thương tổ chức nghiệm thu cơ sở (demo).",
        )
        services.disbursement_record(
            actor=self.cuc["officer"],
            project=project,
            source=kcqg,
            amount=money - advance.amount,
            paid_on=D(2026, 12, 5),
            reference=f"demo-UNC-{project.pk}-2",
        )
        services.project_close(
            actor=self.cuc["officer"],
            project=project,
            closure_number=f"demo-{project.pk}/BB-TL",
            closure_date=D(2026, 12, 8),
        )
        services.project_settle(
            actor=self.cuc["leader"],
            project=project,
            amounts={kcqg: money},
            decision_number=f"demo-{project.pk}/QĐ-QT",
            decision_date=D(2027, 1, 15),
        )
