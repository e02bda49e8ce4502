"""Beneficiaries: the rural industrial establishments (cơ sở công nghiệp nông thôn) and their certifications."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from khuyencong.indexes import PostgresGinIndex, PostgresIndex
from khuyencong.vn_text import fold_accents, nfc

from .tax_code import normalise_tax_code, validate_tax_code


class BeneficiaryKind(models.Model):
    """DN nhỏ và vừa, HTX, liên hiệp HTX, tổ hợp tác, hộ kinh doanh, nghệ nhân, other (reference data)."""

    code = models.SlugField(_("mã loại hình"), max_length=30, unique=True)
    name = models.CharField(_("loại hình"), max_length=120)
    tax_code_required = models.BooleanField(_("bắt buộc có mã số thuế"), default=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("loại hình cơ sở")
        verbose_name_plural = _("loại hình cơ sở")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class BeneficiaryQuerySet(models.QuerySet):
    def visible_to(self, user) -> "BeneficiaryQuerySet":
        from accounts.scoping import province_filter

        return self.filter(province_filter(user, "province"))

    def in_province_of(self, user) -> "BeneficiaryQuerySet":
        """The establishments of the user's own province (none for a user of no province): where a new
        one would be recorded, so where a tax code must not be taken yet."""
        from accounts.scoping import user_province_id

        province_id = user_province_id(user)
        return self.filter(province_id=province_id) if province_id is not None else self.none()

    def search(self, text: str) -> "BeneficiaryQuerySet":
        """Accent-insensitive search on name, tax code and place ("dan day nhua" finds "Đan dây nhựa")."""
        folded = fold_accents(text)
        if not folded:
            return self
        return self.filter(Q(search_text__contains=folded) | Q(tax_code__startswith=text.strip()))


class Beneficiary(models.Model):
    """A cơ sở CNNT. The unit where it stood when recorded is kept; today's unit is stored beside it."""

    name = models.CharField(_("tên cơ sở"), max_length=300)
    kind = models.ForeignKey(BeneficiaryKind, verbose_name=_("loại hình"), on_delete=models.PROTECT)
    # NULL, not "", for "no tax code": the unique constraint must ignore the many households without one.
    tax_code = models.CharField(  # noqa: DJ001
        _("mã số thuế"),
        max_length=14,
        null=True,
        blank=True,
        validators=[validate_tax_code],
        help_text=_("10 chữ số, hoặc 10 chữ số-3 chữ số với chi nhánh. Hộ kinh doanh có thể để trống."),
    )
    representative = models.CharField(_("người đại diện"), max_length=160, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    unit_at_time = models.ForeignKey(
        "places.AdministrativeUnit",
        verbose_name=_("đơn vị hành chính (khi ghi nhận)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    current_unit = models.ForeignKey(
        "places.AdministrativeUnit",
        verbose_name=_("đơn vị hành chính (hiện nay)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    province = models.ForeignKey(
        "places.AdministrativeUnit",
        verbose_name=_("tỉnh/thành phố (hiện nay)"),
        on_delete=models.PROTECT,
        related_name="beneficiaries",
    )
    industry = models.CharField(_("ngành nghề"), max_length=200, blank=True)
    craft_village = models.CharField(_("làng nghề"), max_length=200, blank=True)
    employees = models.PositiveIntegerField(_("số lao động"), null=True, blank=True)
    women_owned = models.BooleanField(_("do phụ nữ làm chủ"), default=False)
    ethnic_minority = models.BooleanField(_("người dân tộc thiểu số làm chủ/sử dụng lao động"), default=False)
    # Searched with LIKE "%…%": a B-tree cannot serve that; PostgreSQL has a trigram index (Meta).
    search_text = models.CharField(max_length=700, editable=False, default="")
    is_demo = models.BooleanField(_("dữ liệu minh họa"), default=False)
    source_note = models.CharField(_("nguồn số liệu"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = BeneficiaryQuerySet.as_manager()

    class Meta:
        verbose_name = _("cơ sở công nghiệp nông thôn")
        verbose_name_plural = _("cơ sở công nghiệp nông thôn")
        ordering = ["name"]
        indexes = [
            # The list's default order (name, then id), nationally and within a province. On PostgreSQL they
            # also hold the searched columns (INCLUDE; other databases build plain indexes): a search's first
            # page walks the index in name order and tests `LIKE` on the index entries alone (Index Only
            # Scan), not on table rows fetched one by one: 28.000 rows before the 25th "Công ty TNHH Hưng
            # Thịnh", since its matches sit together in the order (docs/performance.md).
            models.Index(
                fields=["name", "id"], include=["search_text", "tax_code"], name="beneficiary_name_search"
            ),
            models.Index(
                fields=["province", "name", "id"],
                include=["search_text", "tax_code"],
                name="beneficiary_prov_name_search",
            ),
            # PostgreSQL only (khuyencong.indexes). Search is `search_text LIKE '%…%' OR tax_code LIKE '…%'`:
            # PostgreSQL combines two indexes (BitmapOr) only when both sides have one, so the trigram index
            # needs the pattern index on tax_code beside it (docs/performance.md).
            PostgresGinIndex(
                fields=["search_text"], opclasses=["gin_trgm_ops"], name="beneficiary_search_trgm"
            ),
            PostgresIndex(
                fields=["tax_code"], opclasses=["varchar_pattern_ops"], name="beneficiary_tax_code_prefix"
            ),
            # Reports: beneficiaries by kind read the kind and the flags from the index alone.
            PostgresIndex(
                fields=["id"],
                include=["kind", "women_owned", "ethnic_minority"],
                name="beneficiary_report_cover",
            ),
        ]
        constraints = [
            # Unique within a province's books: a province is never told that another holds a tax code
            # (absent and forbidden answer alike), so it must be able to record the establishment itself.
            models.UniqueConstraint(
                fields=["province", "tax_code"],
                condition=Q(tax_code__isnull=False),
                name="beneficiary_unique_tax_code_in_province",
                violation_error_message=_(
                    "Mã số thuế này đã có trong danh sách cơ sở của tỉnh/thành phố: hãy tìm và chọn cơ sở đó."
                ),
            ),
            models.CheckConstraint(condition=~Q(tax_code=""), name="beneficiary_tax_code_null_not_blank"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.tax_code = normalise_tax_code(self.tax_code) or None
        self.search_text = self.build_search_text()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        self.name = nfc(self.name)
        self.tax_code = normalise_tax_code(self.tax_code) or None

    def build_search_text(self) -> str:
        return fold_accents(
            " ".join([self.name, self.tax_code or "", self.address, self.craft_village, self.industry])
        )[:700]


class Certification(models.Model):
    """A typical-product (CNNT tiêu biểu) certificate or an OCOP rating held by a beneficiary."""

    class Scheme(models.TextChoices):
        CNNT = "cnnt", _("Sản phẩm CNNT tiêu biểu")
        OCOP = "ocop", _("OCOP")

    class Level(models.TextChoices):
        COMMUNE = "xa", _("cấp xã")
        PROVINCE = "tinh", _("cấp tỉnh")
        REGION = "khu_vuc", _("cấp khu vực")
        NATIONAL = "quoc_gia", _("cấp quốc gia")

    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.CASCADE, related_name="certifications")
    scheme = models.CharField(_("loại chứng nhận"), max_length=10, choices=Scheme.choices)
    product_name = models.CharField(_("sản phẩm"), max_length=200)
    level = models.CharField(_("cấp"), max_length=10, choices=Level.choices, blank=True)
    stars = models.PositiveSmallIntegerField(_("số sao OCOP"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("năm"))
    score = models.DecimalField(_("điểm"), max_digits=5, decimal_places=2, null=True, blank=True)
    issuer = models.CharField(_("cơ quan công nhận"), max_length=200, blank=True)
    issued_on = models.DateField(_("ngày cấp"), null=True, blank=True)
    expires_on = models.DateField(_("hiệu lực đến"), null=True, blank=True)

    class Meta:
        verbose_name = _("chứng nhận sản phẩm")
        verbose_name_plural = _("chứng nhận sản phẩm")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(stars__isnull=True) | (Q(stars__gte=1) & Q(stars__lte=5)), name="cert_stars_range"
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | (Q(score__gte=0) & Q(score__lte=100)),
                name="cert_score_range",
            ),
            models.CheckConstraint(
                condition=Q(issued_on__isnull=True)
                | Q(expires_on__isnull=True)
                | Q(issued_on__lte=models.F("expires_on")),
                name="cert_dates_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product_name} ({self.get_scheme_display()} {self.year})"
