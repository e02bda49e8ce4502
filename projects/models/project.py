"""The đề án khuyến công: what it does, for whom, with how much money from which source, and what it yields."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from khuyencong.choice_labels import ChoiceLabels
from khuyencong.indexes import PostgresGinIndex, PostgresIndex
from khuyencong.vn_text import fold_accents, nfc
from projects.statuses import ProjectStatus, WorkflowAction
from projects.workflow import RECORD_STATUSES, InvalidTransition, is_allowed

# Statuses in which a đề án holds its share of the annual plan's allocation.
COMMITTED_STATUSES: frozenset[str] = frozenset(
    {
        ProjectStatus.APPROVED,
        ProjectStatus.CONTRACTED,
        ProjectStatus.IN_PROGRESS,
        ProjectStatus.ADJUSTING,
        ProjectStatus.ACCEPTED,
        ProjectStatus.CLOSED,
        ProjectStatus.SETTLED,
    }
)


class ProjectQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ProjectQuerySet":
        from accounts.scoping import province_filter

        return self.filter(province_filter(user, "province"))

    def in_year(self, year: int) -> "ProjectQuerySet":
        return self.filter(year=year)

    def by_content(self, content) -> "ProjectQuerySet":
        return self.filter(contents=content)

    def with_status(self, *statuses: str) -> "ProjectQuerySet":
        return self.filter(status__in=statuses)

    def committed(self) -> "ProjectQuerySet":
        """Approved or later (not stopped): the đề án that hold money of their plan."""
        return self.filter(status__in=COMMITTED_STATUSES)

    def national(self) -> "ProjectQuerySet":
        return self.filter(kind=Project.Kind.NATIONAL)

    def search(self, text: str) -> "ProjectQuerySet":
        folded = fold_accents(text)
        return self.filter(search_text__contains=folded) if folded else self


class Project(ChoiceLabels):
    """A đề án. Its status is changed only through projects.services (see projects.workflow)."""

    class Kind(models.TextChoices):
        NATIONAL = "kcqg", _("Khuyến công quốc gia")
        LOCAL = "kcdp", _("Khuyến công địa phương")

    class Shape(models.TextChoices):
        NAMED = "named", _("Đề án cho cơ sở cụ thể")
        GROUP = "group", _("Đề án nhóm (chọn cơ sở sau)")
        PILOT = "pilot", _("Đề án điểm")

    class Selection(models.TextChoices):
        REVIEW = "review", _("Xét chọn")
        TENDER = "tender", _("Đấu thầu")

    code = models.SlugField(_("mã đề án"), max_length=40, unique=True)
    title = models.CharField(_("tên đề án"), max_length=400)
    plan = models.ForeignKey(
        "programs.AnnualPlan",
        verbose_name=_("kế hoạch năm"),
        on_delete=models.PROTECT,
        related_name="projects",
    )
    # The plan's year, copied here by save() (and by AnnualPlan.save when a plan's year changes) so that
    # lists can filter and sort by year from one index, without joining the plan for every row.
    year = models.PositiveSmallIntegerField(_("năm"), editable=False, db_index=False)
    province = models.ForeignKey(
        "places.AdministrativeUnit",
        verbose_name=_("tỉnh/thành phố (hiện nay)"),
        on_delete=models.PROTECT,
        related_name="projects",
        editable=False,
        help_text=_(
            "Tỉnh của bản đồ hành chính hiện nay, suy ra từ kế hoạch; dùng để phân quyền và tổng hợp."
        ),
    )
    kind = models.CharField(_("loại đề án"), max_length=4, choices=Kind.choices)
    shape = models.CharField(_("hình thức"), max_length=10, choices=Shape.choices, default=Shape.NAMED)
    selection = models.CharField(
        _("phương thức lựa chọn"), max_length=10, choices=Selection.choices, default=Selection.REVIEW
    )
    contents = models.ManyToManyField(
        "programs.ActivityContent", verbose_name=_("nội dung hoạt động"), related_name="projects"
    )
    implementing_agency = models.ForeignKey(
        "programs.Agency",
        verbose_name=_("đơn vị thực hiện"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="implemented_projects",
    )
    implementing_unit_name = models.CharField(
        _("tên đơn vị thực hiện (nếu ngoài danh mục)"), max_length=300, blank=True
    )
    coordinating_unit = models.CharField(_("đơn vị phối hợp"), max_length=300, blank=True)
    sites = models.ManyToManyField(
        "places.AdministrativeUnit",
        verbose_name=_("địa bàn thực hiện (đơn vị hành chính lúc thực hiện)"),
        blank=True,
        related_name="project_sites",
    )
    site_address = models.CharField(_("địa điểm cụ thể"), max_length=300, blank=True)
    files_with_ministry = models.BooleanField(
        _("nộp hồ sơ trực tiếp cho Cục"),
        default=False,
        help_text=_(
            "Đề án quốc gia của trung tâm khuyến công vùng hoặc đơn vị hoạt động trên nhiều tỉnh: "
            "nộp thẳng Cục, không qua Sở Công Thương."
        ),
    )
    need_and_basis = models.TextField(_("sự cần thiết và căn cứ"), blank=True)
    objectives = models.TextField(_("mục tiêu"), blank=True)
    scale = models.TextField(_("quy mô"), blank=True)
    expected_effects = models.TextField(_("hiệu quả dự kiến"), blank=True)
    start_date = models.DateField(_("ngày bắt đầu"), null=True, blank=True)
    end_date = models.DateField(_("ngày kết thúc"), null=True, blank=True)
    status = models.CharField(
        _("trạng thái"),
        max_length=12,
        choices=ProjectStatus.choices,
        default=ProjectStatus.DRAFT,
        db_index=True,
    )
    approval_decision_number = models.CharField(_("số quyết định phê duyệt"), max_length=80, blank=True)
    approval_decision_date = models.DateField(_("ngày quyết định phê duyệt"), null=True, blank=True)
    contract_number = models.CharField(_("số hợp đồng/quyết định giao nhiệm vụ"), max_length=80, blank=True)
    contract_date = models.DateField(_("ngày ký hợp đồng/giao nhiệm vụ"), null=True, blank=True)
    closure_number = models.CharField(_("số biên bản thanh lý"), max_length=80, blank=True)
    closure_date = models.DateField(_("ngày thanh lý"), null=True, blank=True)
    settlement_decision_number = models.CharField(_("số quyết định quyết toán"), max_length=80, blank=True)
    settlement_decision_date = models.DateField(_("ngày quyết định quyết toán"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật"), auto_now=True)
    # Searched with LIKE "%…%": a B-tree cannot serve that; PostgreSQL has a trigram index (Meta).
    search_text = models.CharField(max_length=800, editable=False, default="")
    is_demo = models.BooleanField(_("dữ liệu minh họa"), default=False)
    source_note = models.CharField(_("nguồn số liệu"), max_length=300, blank=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("đề án khuyến công")
        verbose_name_plural = _("đề án khuyến công")
        ordering = ["-year", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(start_date__lte=models.F("end_date")),
                name="project_dates_order",
            ),
        ]
        indexes = [
            # The đề án list: newest year first then code, for the nation, a province, a status or both.
            models.Index(fields=["-year", "code"], name="project_year_code"),
            models.Index(fields=["status", "-year", "code"], name="project_status_year_code"),
            models.Index(fields=["province", "-year", "code"], name="project_province_year_code"),
            models.Index(fields=["province", "status", "-year", "code"], name="project_prov_status_year"),
            # PostgreSQL only (khuyencong.indexes), chosen from EXPLAIN ANALYZE on the national dataset
            # (docs/performance.md). Search: `search_text LIKE '%…%'` through a trigram index.
            PostgresGinIndex(fields=["search_text"], opclasses=["gin_trgm_ops"], name="project_search_trgm"),
            # The list filtered by status, paged by keys: answered from the index alone.
            PostgresIndex(
                fields=["status"], include=["plan", "code", "id", "province"], name="project_status_cover"
            ),
            # The reports: a year's đề án from their plans, with every column the report queries read.
            PostgresIndex(
                fields=["plan"],
                include=["id", "province", "status", "settlement_decision_date", "code"],
                name="project_plan_report_cover",
            ),
            # The reports: a year's (or one province's year's) đề án as one range of the index.
            PostgresIndex(
                fields=["year", "province"],
                include=["id", "status", "settlement_decision_date", "code", "plan"],
                name="project_year_report_cover",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"

    def save(self, *args, **kwargs) -> None:
        self.title = nfc(self.title)
        if self.plan_id and not self.province_id:
            self.province_id = self.plan_province_id()
        elif self.plan_id and self.province_id != self.plan_province_id():
            # The same rule for a door that skips full_clean(): nothing saves a đề án under another
            # province's plan.
            raise self._plan_province_error()
        if self.plan_id:
            self.year = self.plan.year
        self.search_text = fold_accents(f"{self.code} {self.title} {self.site_address}")[:800]
        super().save(*args, **kwargs)

    def plan_province_id(self) -> int | None:
        """Today's province of the đề án's plan: the only province the đề án may belong to."""
        if not self.plan_id:
            return None
        province = self.plan.province
        return (province.today_province() or province).pk

    def _plan_province_error(self) -> ValidationError:
        return ValidationError(
            {
                "plan": _(
                    "Kế hoạch năm phải thuộc tỉnh/thành phố của đề án; một đề án không chuyển sang kế hoạch "
                    "của tỉnh khác."
                )
            },
            code="plan_of_another_province",
        )

    def clean(self) -> None:
        """The plan stays in the đề án's own province, whichever door changes it (the entry page, an
        import, the admin): the province recorded for the đề án does not follow a plan elsewhere."""
        super().clean()
        if self.pk and self.plan_id:
            stored = Project.objects.filter(pk=self.pk).values_list("province_id", flat=True).first()
            if stored is not None and stored != self.plan_province_id():
                raise self._plan_province_error()

    def transition_to(self, new_status: str) -> str:
        """Move to `new_status` if the table in projects.workflow allows it; the only place that assigns
        `.status`. Returns the old status; raises InvalidTransition otherwise. The caller saves."""
        old = self.status
        if not is_allowed(old, new_status):
            raise InvalidTransition(old, new_status)
        self.status = new_status
        return old

    @property
    def is_national(self) -> bool:
        return self.kind == Project.Kind.NATIONAL

    @property
    def implementing_unit(self) -> str:
        return str(self.implementing_agency) if self.implementing_agency_id else self.implementing_unit_name


class ProjectBeneficiary(models.Model):
    """A beneficiary of a đề án, the support it receives and its committed counterpart capital."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="beneficiary_links")
    beneficiary = models.ForeignKey(
        "beneficiaries.Beneficiary",
        verbose_name=_("cơ sở thụ hưởng"),
        on_delete=models.PROTECT,
        related_name="project_links",
    )
    support_amount = models.BigIntegerField(_("kinh phí hỗ trợ (đồng)"), default=0)
    counterpart_amount = models.BigIntegerField(_("vốn đối ứng cam kết (đồng)"), default=0)
    counterpart_committed = models.BooleanField(_("đã cam kết vốn đối ứng"), default=False)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("cơ sở thụ hưởng của đề án")
        verbose_name_plural = _("cơ sở thụ hưởng của đề án")
        constraints = [
            models.UniqueConstraint(fields=["project", "beneficiary"], name="projectbeneficiary_unique"),
            models.CheckConstraint(
                condition=Q(support_amount__gte=0), name="projectbeneficiary_support_nonneg"
            ),
            models.CheckConstraint(
                condition=Q(counterpart_amount__gte=0), name="projectbeneficiary_counterpart_nonneg"
            ),
        ]
        indexes = [
            # Reports (PostgreSQL only): beneficiaries by kind read the links' amounts from the index alone.
            PostgresIndex(
                fields=["project"],
                include=["beneficiary", "support_amount", "counterpart_amount", "counterpart_committed"],
                name="projectbenef_project_cover",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project.code} — {self.beneficiary}"


class BudgetLine(models.Model):
    """One line of the cost estimate: an expense item, for a content, paid from one source."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="budget_lines")
    source = models.ForeignKey(
        "programs.FundingSource",
        verbose_name=_("nguồn kinh phí"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_(
            "Bắt buộc với đề án mới; chỉ để trống cho số liệu lịch sử mà tài liệu gốc không nêu nguồn."
        ),
    )
    content = models.ForeignKey(
        "programs.ActivityContent",
        verbose_name=_("nội dung"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    expense_item = models.CharField(_("khoản chi"), max_length=300)
    amount = models.BigIntegerField(_("số tiền (đồng)"))
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("dòng dự toán")
        verbose_name_plural = _("dự toán theo nguồn và khoản chi")
        ordering = ["project", "order", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="budgetline_amount_nonneg")]
        indexes = [
            models.Index(fields=["project", "source"], name="budgetline_project_source"),
            # Report sums (PostgreSQL only): index-only scans.
            PostgresIndex(
                fields=["project"], include=["source", "content", "amount"], name="budgetline_project_cover"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.expense_item}: {self.amount}"

    def clean(self) -> None:
        """Estimate lines change only while the đề án may be edited (draft, returned, or under an
        adjustment request); after approval a change goes through the adjustment flow."""
        super().clean()
        if self.project_id is None:
            return
        status = Project.objects.filter(pk=self.project_id).values_list("status", flat=True).first()
        if status is not None and status not in RECORD_STATUSES[WorkflowAction.EDIT]:
            raise ValidationError(
                _(
                    "Đề án ở trạng thái «%(status)s»: dự toán chỉ sửa được khi đề án là dự thảo, được trả lại "
                    "để bổ sung, hoặc đang đề nghị điều chỉnh (qua bước «Đề nghị điều chỉnh»)."
                )
                % {"status": ProjectStatus(status).label},
                code="budget_locked",
            )


class ProjectOutput(models.Model):
    """Planned and achieved output of a đề án for one indicator."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="outputs")
    indicator = models.ForeignKey("programs.Indicator", verbose_name=_("chỉ tiêu"), on_delete=models.PROTECT)
    planned = models.PositiveIntegerField(_("kế hoạch"), null=True, blank=True)
    achieved = models.PositiveIntegerField(_("đạt được"), null=True, blank=True)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("kết quả đầu ra")
        verbose_name_plural = _("kết quả đầu ra")
        ordering = ["project", "indicator__order"]
        constraints = [
            models.UniqueConstraint(fields=["project", "indicator"], name="projectoutput_unique_indicator")
        ]
        indexes = [
            # Report sums and the dashboard's programme progress (PostgreSQL only): index-only scans; the
            # partial index holds only the outputs with an achieved figure, by indicator.
            PostgresIndex(
                fields=["project"], include=["indicator", "planned", "achieved"], name="output_project_cover"
            ),
            PostgresIndex(
                fields=["indicator", "project"],
                include=["achieved"],
                condition=Q(achieved__isnull=False),
                name="output_achieved_indic_cover",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.planned}/{self.achieved}"
