"""Demo đề án for Cần Thơ (92) and Hải Phòng (31): a 2025 local plan and đề án at every stage of the
lifecycle, driven through the services so the audit trail, appraisals, reports and money are real.

Idempotent: what exists (by code or tax code) is left alone. Needs places, reference data and the demo
accounts (run `bootstrap`, which calls this command).
"""

import datetime
import time
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
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
# The main line, in order; a side branch leaves it after a given stage.
ORDER = [
    S.DRAFT,
    S.SUBMITTED,
    S.APPRAISING,
    S.APPROVED,
    S.CONTRACTED,
    S.IN_PROGRESS,
    S.ACCEPTED,
    S.CLOSED,
    S.SETTLED,
]
BRANCHES = {
    S.RETURNED: S.APPRAISING,
    S.REJECTED: S.APPRAISING,
    S.STOPPED: S.CONTRACTED,
    S.ADJUSTING: S.IN_PROGRESS,
}
# A tiny valid PDF standing in for scanned minutes.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


@dataclass(frozen=True)
class City:
    code: str
    slug: str
    name: str
    allocation: int
    tax_prefix: int


# Further outputs of some demo đề án (indicator code, planned = achieved when accepted).
EXTRA_OUTPUTS = {
    "thuong-hieu-nuoc-mam": [("management-trainees", 60)],  # a course on brand management for managers
    "dao-tao-moc-my-nghe": [("management-trainees", 25)],  # the workshop owners' management module
}

CITIES = [
    City("92", "cantho", "thành phố Cần Thơ", 3_000_000_000, 180_000_100),
    City("31", "haiphong", "thành phố Hải Phòng", 2_500_000_000, 20_000_100),
]

# (suffix, title, final stage, content number, state budget, counterpart, indicator, planned, cities)
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
        None,
    ),
    (
        "dao-tao-may",
        "Đào tạo nghề may công nghiệp",
        S.SUBMITTED,
        1,
        150_000_000,
        15_000_000,
        "trainees",
        40,
        None,
    ),
    (
        "ung-dung-may-say",
        "Hỗ trợ ứng dụng máy sấy nông sản",
        S.APPRAISING,
        3,
        240_000_000,
        560_000_000,
        "machines",
        2,
        None,
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
        None,
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
        None,
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
        None,
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
        None,
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
        None,
    ),
    (
        "may-tre-dan",
        "Đào tạo nghề mây tre đan xuất khẩu",
        S.RETURNED,
        1,
        110_000_000,
        10_000_000,
        "trainees",
        30,
        {"cantho"},
    ),
    (
        "mo-rong-xuong-go",
        "Hỗ trợ mở rộng xưởng chế biến gỗ",
        S.ADJUSTING,
        3,
        150_000_000,
        350_000_000,
        "machines",
        1,
        {"cantho"},
    ),
    (
        "gian-hang-tmdt",
        "Xây dựng trang thông tin giới thiệu sản phẩm CNNT",
        S.REJECTED,
        6,
        80_000_000,
        0,
        "media-products",
        4,
        {"haiphong"},
    ),
    (
        "ma-kem-truyen-thong",
        "Mô hình mạ kẽm công nghệ mới",
        S.STOPPED,
        3,
        200_000_000,
        470_000_000,
        "demo-models",
        1,
        {"haiphong"},
    ),
]
BENEFICIARIES = [
    ("Hợp tác xã đan lát lục bình", "htx", "Đan lát lục bình"),
    ("Công ty TNHH chế biến nông sản", "dn-nho-va-vua", "Chế biến nông sản"),
    ("Cơ sở sản xuất bánh pía", "dn-nho-va-vua", "Sản xuất bánh kẹo"),
    ("Công ty TNHH mộc mỹ nghệ", "dn-nho-va-vua", "Mộc mỹ nghệ"),
]


def demo_budget_lines(project, *, content, source, item: str, state: int, own: int, counterpart) -> None:
    """A demo đề án's estimate: the state's money, and the establishment's own share when it has one."""
    BudgetLine.objects.create(
        project=project, source=source, content=content, expense_item=item, amount=state, order=1
    )
    if own:
        BudgetLine.objects.create(
            project=project,
            source=counterpart,
            content=content,
            expense_item="Vốn đối ứng của cơ sở",
            amount=own,
            order=2,
        )


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
            suffix, title, stage, content_number, state, own, indicator_code, planned, cities = spec
            if cities is not None and city.slug not in cities:
                continue
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
            demo_budget_lines(
                project,
                content=content,
                source=kcdp,
                item="Kinh phí hỗ trợ",
                state=state,
                own=own,
                counterpart=counterpart,
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
            # Outputs the programme's targets are measured by: the establishment each đề án supports,
            # and the managers trained where a đề án includes such a course.
            extra = [("establishments-supported", 1), *EXTRA_OUTPUTS.get(suffix, [])]
            for code, count in extra:
                ProjectOutput.objects.create(
                    project=project, indicator=Indicator.objects.get(code=code), planned=count
                )
            self.drive(
                project, stage, kcdp=kcdp, counterpart=counterpart, state=state, own=own, planned=planned
            )
            created += 1
        return created

    def drive(
        self, project: Project, stage: str, *, kcdp, counterpart, state: int, own: int, planned: int
    ) -> None:
        """Take the đề án through the services up to `stage` (or along the main line and then off it onto a
        side branch), with the records each step leaves."""
        p = self.people
        last = ORDER.index(BRANCHES.get(stage, stage))

        def reached(status) -> bool:
            return ORDER.index(status) <= last

        if reached(S.SUBMITTED):
            services.project_submit(actor=p["officer"], project=project)
        if reached(S.APPRAISING):
            services.project_start_appraisal(
                actor=p["officer"], project=project, comment="Đưa ra hội đồng thẩm định."
            )
            revise = stage in (S.RETURNED, S.REJECTED)
            services.appraisal_submit(
                actor=p["appraiser"],
                project=project,
                score_fit=18 if not revise else 12,
                score_necessity=17 if not revise else 10,
                score_efficiency=16 if not revise else 9,
                score_budget=15 if not revise else 8,
                score_capacity=16 if not revise else 11,
                recommendation="approve" if not revise else ("revise" if stage == S.RETURNED else "reject"),
                comment="Đề án phù hợp nội dung Nghị định 45, dự toán hợp lý."
                if not revise
                else "Dự toán chưa có báo giá; hiệu quả chưa rõ.",
            )
        if stage == S.RETURNED:
            services.project_return(
                actor=p["leader"], project=project, comment="Bổ sung dự toán chi tiết và báo giá thiết bị."
            )
            return
        if stage == S.REJECTED:
            services.project_reject(
                actor=p["leader"], project=project, comment="Nội dung trùng với chương trình khác đã hỗ trợ."
            )
            return
        if reached(S.APPROVED):
            services.project_approve(
                actor=p["leader"],
                project=project,
                decision_number=f"demo-{project.pk}/QĐ-SCT",
                decision_date=D(2025, 3, 10),
                acknowledge_double_support=True,
                comment="Phê duyệt vào kế hoạch năm 2025.",
            )
        if reached(S.CONTRACTED):
            services.project_contract(
                actor=p["centre"],
                project=project,
                contract_number=f"demo-{project.pk}/HĐ-KC",
                contract_date=D(2025, 3, 25),
            )
        if stage == S.STOPPED:
            services.project_stop(
                actor=p["leader"],
                project=project,
                comment="Cơ sở thụ hưởng không thu xếp được vốn đối ứng.",
                decision_number=f"demo-{project.pk}/QĐ-NTK",
                decision_date=D(2025, 5, 5),
            )
            return
        if not reached(S.IN_PROGRESS):
            return
        services.project_start(actor=p["centre"], project=project)
        advance = services.advance_request(
            actor=p["centre"], project=project, source=kcdp, amount=state * 30 // 100
        )
        services.advance_decide(
            actor=p["leader"], advance=advance, approve=True, decision_date=D(2025, 4, 10)
        )
        services.disbursement_record(
            actor=p["centre"],
            project=project,
            source=kcdp,
            amount=advance.amount,
            paid_on=D(2025, 4, 15),
            reference=f"demo-UNC-{project.pk}-1",
            advance=advance,
        )
        running = stage in (S.IN_PROGRESS, S.ADJUSTING)
        months = [D(2025, m, 1) for m in ((4, 5, 6, 7) if running else range(4, 12))]
        for index, month in enumerate(months):
            services.progress_report_submit(
                actor=p["centre"],
                project=project,
                month=month,
                percent_complete=min(100, 15 * (index + 1)),
                summary="Triển khai theo kế hoạch; đã tổ chức các hoạt động của tháng.",
            )
        if stage == S.ADJUSTING:
            services.project_request_adjustment(
                actor=p["centre"],
                project=project,
                comment="Lùi thời gian lắp đặt thiết bị sang tháng 10/2025.",
            )
            return
        if stage == S.IN_PROGRESS:
            # A second tranche left for the leader to decide: it shows in "my tasks".
            services.advance_request(
                actor=p["centre"],
                project=project,
                source=kcdp,
                amount=state * 40 // 100,
                comment="Tạm ứng lần 2",
            )
            return
        services.outputs_record(
            actor=p["centre"],
            project=project,
            achieved={o.indicator_id: o.planned for o in project.outputs.all()},
        )
        transition = services.project_accept(
            actor=p["centre"],
            project=project,
            minutes_number=f"demo-{project.pk}/BB-NT",
            minutes_date=D(2025, 11, 28),
            comment="Đạt yêu cầu.",
        )
        services.document_upload(
            actor=p["centre"],
            project=project,
            file=SimpleUploadedFile(f"bien-ban-nghiem-thu-{project.pk}.pdf", DEMO_PDF),
            kind="minutes",
            title="Biên bản nghiệm thu (demo)",
            transition=transition,
        )
        services.disbursement_record(
            actor=p["centre"],
            project=project,
            source=kcdp,
            amount=state - advance.amount,
            paid_on=D(2025, 12, 10),
            reference=f"demo-UNC-{project.pk}-2",
        )
        if not reached(S.CLOSED):
            return
        services.project_close(
            actor=p["centre"],
            project=project,
            closure_number=f"demo-{project.pk}/BB-TL",
            closure_date=D(2026, 1, 15),
        )
        if not reached(S.SETTLED):
            return
        amounts = {kcdp: state, counterpart: own} if own else {kcdp: state}
        services.project_settle(
            actor=p["leader"],
            project=project,
            amounts=amounts,
            decision_number=f"demo-{project.pk}/QĐ-QT",
            decision_date=D(2026, 3, 5),
        )
