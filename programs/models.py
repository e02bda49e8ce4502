"""Programmes, annual plans, agencies, and the reference catalogues of NĐ 45 (contents, sources, indicators, caps)."""

from collections.abc import Callable
from typing import ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from khuyencong.choice_labels import ChoiceLabels
from khuyencong.money import AmountQualifier, format_dong


class Agency(models.Model):
    """A state body that takes part in khuyến công: the Sở, its centre, the Ministry's Cục, the UBND."""

    class Kind(models.TextChoices):
        SO_CONG_THUONG = "so_cong_thuong", _("Sở Công Thương")
        TRUNG_TAM = "trung_tam", _("Trung tâm Khuyến công")
        CUC = "cuc", _("Cục (Bộ Công Thương)")
        UBND = "ubnd", _("Ủy ban nhân dân tỉnh/thành phố")

    name = models.CharField(_("tên cơ quan"), max_length=255, unique=True)
    short_name = models.CharField(_("tên viết tắt"), max_length=80, blank=True)
    kind = models.CharField(_("loại cơ quan"), max_length=20, choices=Kind.choices)
    province = models.ForeignKey(
        "places.AdministrativeUnit",
        verbose_name=_("tỉnh/thành phố"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agencies",
        help_text=_("Để trống với cơ quan cấp Bộ (xem được mọi tỉnh)."),
    )
    email = models.EmailField(_("thư điện tử"), blank=True)

    class Meta:
        verbose_name = _("cơ quan")
        verbose_name_plural = _("cơ quan")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_national(self) -> bool:
        return self.province_id is None


class ActivityContent(models.Model):
    """One of the nine activity contents of NĐ 45/2012 Art. 4 (reference data)."""

    number = models.PositiveSmallIntegerField(_("số thứ tự"), unique=True)
    name = models.CharField(_("tên nội dung"), max_length=255)
    short_name = models.CharField(_("tên ngắn"), max_length=120)
    description = models.TextField(_("mô tả"), blank=True)
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("nội dung hoạt động khuyến công")
        verbose_name_plural = _("nội dung hoạt động khuyến công")
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(number__gte=1) & Q(number__lte=20), name="activitycontent_number_range"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.short_name}"


class FundingSource(models.Model):
    """A source of money: national khuyến công, local khuyến công, counterpart capital, other."""

    code = models.SlugField(_("mã nguồn"), max_length=20, unique=True)
    name = models.CharField(_("tên nguồn kinh phí"), max_length=160)
    short_name = models.CharField(_("tên ngắn"), max_length=60)
    is_state_budget = models.BooleanField(_("ngân sách nhà nước"), default=False)
    is_counterpart = models.BooleanField(_("vốn đối ứng của cơ sở"), default=False)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("nguồn kinh phí")
        verbose_name_plural = _("nguồn kinh phí")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    """An output indicator (classes, trainees, models, fairs…) against which targets and outputs are counted."""

    code = models.SlugField(_("mã chỉ tiêu"), max_length=40, unique=True)
    name = models.CharField(_("tên chỉ tiêu"), max_length=200)
    unit = models.CharField(_("đơn vị tính"), max_length=40)
    content = models.ForeignKey(
        ActivityContent,
        verbose_name=_("nội dung liên quan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators",
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("chỉ tiêu đầu ra")
        verbose_name_plural = _("chỉ tiêu đầu ra")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})"


class SupportCapQuerySet(models.QuerySet):
    def in_force(self, *, on, province=None) -> "SupportCapQuerySet":
        """Caps valid on a date, for a province (its own) and nationally."""
        qs = self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=on)
        )
        scope = Q(scope=SupportCap.Scope.NATIONAL)
        if province is not None:
            scope |= Q(scope=SupportCap.Scope.PROVINCE, province=province)
        return qs.filter(scope)


class SupportCap(models.Model):
    """A support level: a share of cost and/or an absolute ceiling, for a content, a scope and a legal basis."""

    class Scope(models.TextChoices):
        NATIONAL = "national", _("toàn quốc")
        PROVINCE = "province", _("tỉnh/thành phố")

    class Category(models.TextChoices):
        SUPPORT = "support", _("mức hỗ trợ cho cơ sở")
        MANAGEMENT = "management", _("chi phí quản lý")

    content = models.ForeignKey(
        ActivityContent, verbose_name=_("nội dung"), on_delete=models.PROTECT, related_name="caps"
    )
    item = models.CharField(
        _("khoản hỗ trợ"), max_length=255, help_text=_("Ví dụ: mô hình trình diễn kỹ thuật")
    )
    category = models.CharField(
        _("loại mức"), max_length=12, choices=Category.choices, default=Category.SUPPORT
    )
    scope = models.CharField(_("phạm vi"), max_length=10, choices=Scope.choices, default=Scope.NATIONAL)
    province = models.ForeignKey(
        "places.AdministrativeUnit",
        verbose_name=_("tỉnh/thành phố"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="support_caps",
    )
    percent_of_cost = models.DecimalField(
        _("tỷ lệ tối đa (% chi phí)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    ceiling = models.BigIntegerField(_("mức trần (đồng)"), null=True, blank=True)
    unit_of_ceiling = models.CharField(
        _("trần tính theo"), max_length=80, blank=True, help_text=_("ví dụ: mô hình, cơ sở")
    )
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=255)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    is_demo = models.BooleanField(_("dữ liệu minh họa"), default=False)

    objects = SupportCapQuerySet.as_manager()

    class Meta:
        verbose_name = _("mức hỗ trợ tối đa")
        verbose_name_plural = _("mức hỗ trợ tối đa")
        ordering = ["content__number", "scope", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent_of_cost__isnull=True)
                | (Q(percent_of_cost__gt=0) & Q(percent_of_cost__lte=100)),
                name="supportcap_percent_range",
            ),
            models.CheckConstraint(
                condition=Q(ceiling__isnull=True) | Q(ceiling__gte=0), name="supportcap_ceiling_nonneg"
            ),
            models.CheckConstraint(
                condition=Q(percent_of_cost__isnull=False) | Q(ceiling__isnull=False),
                name="supportcap_has_limit",
            ),
            models.CheckConstraint(
                condition=(Q(scope="national") & Q(province__isnull=True))
                | (Q(scope="province") & Q(province__isnull=False)),
                name="supportcap_scope_province",
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(valid_from__lte=models.F("valid_to")),
                name="supportcap_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} — {self.legal_basis}"


class ProgrammeQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ProgrammeQuerySet":
        """A province's own programmes plus the national ones (which every province implements)."""
        from accounts.scoping import province_filter

        scope = province_filter(user, "province__current_province")
        # An empty Q (the Ministry, administrators) ORed with anything is that thing: keep "everything".
        return self.filter(scope | Q(province__isnull=True)) if scope else self.all()


class Programme(ChoiceLabels):
    """A khuyến công programme (chương trình) for a period, national or local, issued by a decision."""

    class Level(models.TextChoices):
        NATIONAL = "national", _("quốc gia")
        LOCAL = "local", _("địa phương")

    code = models.SlugField(_("mã chương trình"), max_length=40, unique=True)
    name = models.CharField(_("tên chương trình"), max_length=300)
    level = models.CharField(_("cấp"), max_length=10, choices=Level.choices)
    owner = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan chủ trì"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programmes",
    )
    province = models.ForeignKey(
        "places.AdministrativeUnit",
        verbose_name=_("tỉnh/thành phố"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programmes",
    )
    start_year = models.PositiveSmallIntegerField(_("từ năm"))
    end_year = models.PositiveSmallIntegerField(_("đến năm"))
    decision_number = models.CharField(_("số quyết định"), max_length=80, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    decision_authority = models.CharField(_("cơ quan ban hành"), max_length=200, blank=True)
    description = models.TextField(_("mô tả, mục tiêu chung"), blank=True)
    total_budget = models.BigIntegerField(
        _("tổng kinh phí (đồng)"),
        null=True,
        blank=True,
        help_text=_(
            "Tổng kinh phí dự kiến đã công bố; phần chia theo nguồn nhập ở mục nguồn kinh phí nếu có."
        ),
    )
    proposed_annual_budget = models.BigIntegerField(
        _("kinh phí đề xuất hằng năm (đồng)"),
        null=True,
        blank=True,
        help_text=_("Mức kinh phí mỗi năm cơ quan đã đề xuất (chưa phải mức được duyệt)."),
    )
    total_budget_sources_note = models.CharField(
        _("nguồn hình thành tổng kinh phí"), max_length=300, blank=True
    )
    source_note = models.CharField(_("nguồn số liệu"), max_length=300, blank=True)
    is_demo = models.BooleanField(_("dữ liệu minh họa"), default=False)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = _("chương trình khuyến công")
        verbose_name_plural = _("chương trình khuyến công")
        ordering = ["-start_year", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_year__lte=models.F("end_year")), name="programme_period_order"
            ),
            models.CheckConstraint(
                condition=Q(total_budget__isnull=True) | Q(total_budget__gte=0), name="programme_total_nonneg"
            ),
            models.CheckConstraint(
                condition=Q(proposed_annual_budget__isnull=True) | Q(proposed_annual_budget__gte=0),
                name="programme_proposed_nonneg",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SolutionGroup(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="solution_groups")
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    title = models.CharField(_("nhóm giải pháp"), max_length=300)
    description = models.TextField(_("nội dung"), blank=True)

    class Meta:
        verbose_name = _("nhóm giải pháp")
        verbose_name_plural = _("nhóm giải pháp")
        ordering = ["programme", "order"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "order"], name="solutiongroup_unique_order")
        ]

    def __str__(self) -> str:
        return self.title


class ProgrammeBudget(models.Model):
    """The programme's budget from one funding source."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="budgets")
    source = models.ForeignKey(FundingSource, verbose_name=_("nguồn kinh phí"), on_delete=models.PROTECT)
    amount = models.BigIntegerField(_("số tiền (đồng)"))

    class Meta:
        verbose_name = _("kinh phí chương trình theo nguồn")
        verbose_name_plural = _("kinh phí chương trình theo nguồn")
        constraints = [
            models.UniqueConstraint(fields=["programme", "source"], name="programmebudget_unique_source"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="programmebudget_amount_nonneg"),
        ]

    def __str__(self) -> str:
        return f"{self.programme} — {self.source}"


class ProgrammeTarget(models.Model):
    """A target (chỉ tiêu): a minimum and an optional maximum ("500–1000 lượt" is a range)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="targets")
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("chỉ tiêu"), on_delete=models.PROTECT, null=True, blank=True
    )
    description = models.CharField(_("diễn giải"), max_length=400)
    min_value = models.PositiveIntegerField(_("giá trị tối thiểu"), null=True, blank=True)
    max_value = models.PositiveIntegerField(_("giá trị tối đa"), null=True, blank=True)
    qualifier = models.CharField(
        _("cách nêu"), max_length=10, choices=AmountQualifier.choices, default=AmountQualifier.EXACT
    )
    unit = models.CharField(_("đơn vị tính"), max_length=40, blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    # A target no đề án output can measure (a qualitative aim, a pilot model) is tracked by hand: staff
    # enter the achieved figure and how it was found, and each entry is audited.
    tracked_by_hand = models.BooleanField(
        _("theo dõi thủ công"),
        default=False,
        help_text=_("Kết quả do cán bộ nhập, không cộng từ đầu ra của đề án."),
    )
    achieved_by_hand = models.PositiveIntegerField(_("kết quả đạt được (nhập tay)"), null=True, blank=True)
    achieved_note = models.CharField(_("căn cứ kết quả"), max_length=400, blank=True)
    achieved_on = models.DateField(_("ngày cập nhật kết quả"), null=True, blank=True)

    class Meta:
        verbose_name = _("chỉ tiêu chương trình")
        verbose_name_plural = _("chỉ tiêu chương trình")
        ordering = ["programme", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_value__isnull=True)
                | Q(min_value__isnull=True)
                | Q(min_value__lte=models.F("max_value")),
                name="programmetarget_range_order",
            ),
            models.CheckConstraint(
                condition=Q(max_value__isnull=True) | Q(min_value__isnull=False),
                name="programmetarget_max_needs_min",
            ),
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def is_quantified(self) -> bool:
        return (self.indicator_id is not None or self.tracked_by_hand) and self.min_value is not None

    @property
    def is_fed(self) -> bool:
        """Something moves it: đề án outputs of its indicator, or staff entering it by hand."""
        return self.indicator_id is not None or self.tracked_by_hand


class AnnualPlanQuerySet(models.QuerySet):
    def visible_to(self, user) -> "AnnualPlanQuerySet":
        from accounts.scoping import province_filter

        return self.filter(province_filter(user, "province__current_province"))


class AnnualPlan(models.Model):
    """The year's khuyến công plan of a province (local), or a province's part of the national plan."""

    class Kind(models.TextChoices):
        NATIONAL = "kcqg", _("Khuyến công quốc gia")
        LOCAL = "kcdp", _("Khuyến công địa phương")

    programme = models.ForeignKey(
        Programme,
        verbose_name=_("chương trình"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plans",
    )
    province = models.ForeignKey(
        "places.AdministrativeUnit",
        verbose_name=_("tỉnh/thành phố"),
        on_delete=models.PROTECT,
        related_name="plans",
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan lập kế hoạch"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plans",
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    kind = models.CharField(_("loại kế hoạch"), max_length=4, choices=Kind.choices)
    name = models.CharField(_("tên kế hoạch"), max_length=300)
    decision_number = models.CharField(_("số quyết định phê duyệt"), max_length=80, blank=True)
    decision_date = models.DateField(_("ngày phê duyệt"), null=True, blank=True)
    decision_authority = models.CharField(_("cơ quan phê duyệt"), max_length=200, blank=True)
    declared_project_count = models.PositiveIntegerField(
        _("số đề án theo kế hoạch đã công bố"),
        null=True,
        blank=True,
        help_text=_("Số đề án nêu trong văn bản/nguồn, kể cả khi chưa nhập từng đề án."),
    )
    declared_total = models.BigIntegerField(_("tổng kinh phí đã công bố (đồng)"), null=True, blank=True)
    declared_total_qualifier = models.CharField(
        _("cách nêu tổng kinh phí"),
        max_length=10,
        choices=AmountQualifier.choices,
        default=AmountQualifier.EXACT,
    )
    note = models.TextField(_("ghi chú"), blank=True)
    source_note = models.CharField(_("nguồn số liệu"), max_length=300, blank=True)
    is_demo = models.BooleanField(_("dữ liệu minh họa"), default=False)

    objects = AnnualPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("kế hoạch khuyến công năm")
        verbose_name_plural = _("kế hoạch khuyến công năm")
        ordering = ["-year", "province__name", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "year", "kind"], name="annualplan_unique_province_year_kind"
            ),
            models.CheckConstraint(
                condition=Q(declared_total__isnull=True) | Q(declared_total__gte=0),
                name="annualplan_declared_nonneg",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100), name="annualplan_year_range"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        # Each đề án keeps a copy of its plan's year (projects.Project.year): a corrected year follows.
        self.projects.exclude(year=self.year).update(year=self.year)

    def clean(self) -> None:
        """A plan that holds đề án stays in their province (each đề án's province comes from its plan)."""
        super().clean()
        if self.pk and self.province_id:
            stored = AnnualPlan.objects.filter(pk=self.pk).values_list("province_id", flat=True).first()
            if stored != self.province_id and self.projects.exists():
                raise ValidationError(
                    {"province": _("Kế hoạch đã có đề án: không chuyển kế hoạch sang tỉnh/thành phố khác.")}
                )


class PlanAllocation(models.Model):
    """Money allocated to the annual plan from one source (dự toán được giao)."""

    plan = models.ForeignKey(AnnualPlan, on_delete=models.CASCADE, related_name="allocations")
    source = models.ForeignKey(
        FundingSource,
        verbose_name=_("nguồn kinh phí"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("Để trống chỉ khi văn bản gốc không nêu cấp ngân sách."),
    )
    amount = models.BigIntegerField(_("số tiền (đồng)"))
    qualifier = models.CharField(
        _("cách nêu"), max_length=10, choices=AmountQualifier.choices, default=AmountQualifier.EXACT
    )
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("kinh phí được giao theo nguồn")
        verbose_name_plural = _("kinh phí được giao theo nguồn")
        constraints = [
            models.UniqueConstraint(fields=["plan", "source"], name="planallocation_unique_source"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="planallocation_amount_nonneg"),
        ]

    # What a plan's approved đề án hold, by source id: the one computation (the approval check uses it too)
    # lives with the đề án in projects, above programs, which installs it here when it loads (projects.apps).
    committed_by_source: ClassVar[Callable[[AnnualPlan], dict[int, int]]]

    def __str__(self) -> str:
        return f"{self.plan} — {self.source}"

    def clean(self) -> None:
        """The allocation never falls below what the plan's approved đề án already hold from the source."""
        super().clean()
        if not self.plan_id or self.amount is None:
            return
        held = self.committed_by_source(self.plan).get(self.source_id, 0)
        if self.amount < held:
            raise ValidationError(
                {
                    "amount": _(
                        "Các đề án đã phê duyệt của kế hoạch đang giữ %(held)s đồng từ nguồn này: kinh phí "
                        "được giao không thể thấp hơn."
                    )
                    % {"held": format_dong(held)}
                }
            )


class HistoricOutput(models.Model):
    """An aggregate result recorded for a province over a period, when no đề án-level records exist."""

    province = models.ForeignKey(
        "places.AdministrativeUnit",
        verbose_name=_("tỉnh/thành phố"),
        on_delete=models.PROTECT,
        related_name="historic_outputs",
    )
    start_year = models.PositiveSmallIntegerField(_("từ năm"))
    end_year = models.PositiveSmallIntegerField(
        _("đến năm"), null=True, blank=True, help_text=_("Để trống nếu nguồn không nêu.")
    )
    indicator = models.ForeignKey(Indicator, verbose_name=_("chỉ tiêu"), on_delete=models.PROTECT)
    value = models.PositiveIntegerField(_("giá trị"))
    qualifier = models.CharField(
        _("cách nêu"), max_length=10, choices=AmountQualifier.choices, default=AmountQualifier.EXACT
    )
    description = models.CharField(_("diễn giải"), max_length=400)
    source_note = models.CharField(_("nguồn số liệu"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("kết quả đã đạt (số liệu tổng hợp)")
        verbose_name_plural = _("kết quả đã đạt (số liệu tổng hợp)")
        ordering = ["province", "start_year", "indicator__order"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_year__lte=models.F("end_year")), name="historicoutput_period_order"
            ),
        ]

    def __str__(self) -> str:
        return self.description
