"""A synthetic national dataset for load tests: 34 provinces, ten years, every đề án status.

Rows are written in bulk: PostgreSQL COPY from an in-memory buffer, or executemany on SQLite (small scale
only). Every row is marked: `is_demo=True`, codes and user names start with "syn-", names end with
"(dữ liệu tổng hợp)". The same seed gives the same data. Volumes are skewed as real data is: a few large
đề án with many budget lines and many small ones; some provinces far busier than others; recent years busier
than old ones.
"""

from __future__ import annotations

import datetime
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection, transaction

from accounts.models import StaffProfile
from accounts.roles import GROUP_NAMES, Role
from beneficiaries.models import Beneficiary, BeneficiaryKind
from beneficiaries.tax_code import make_check_digit
from places.models import AdministrativeUnit
from programs.models import (
    ActivityContent,
    Agency,
    AnnualPlan,
    FundingSource,
    Indicator,
    PlanAllocation,
    Programme,
    ProgrammeTarget,
)

from .bulk import (
    BulkLoader,
    _ts,
)
from .projects import ProjectMaker
from .vocabulary import (
    BIG_TABLES,
    BRANDS,
    CRAFTS,
    GIVEN,
    KIND_WEIGHTS,
    MARK,
    PREFIX,
    SOURCE_NOTE,
    SURNAMES,
    Scale,
    _FastRandom,
    _fold,
    _pick,
    _round_money,
)

# --------------------------------------------------------------------------------------------------
# The generator


@dataclass
class _Province:
    unit: AdministrativeUnit
    weight: float
    communes: list[tuple[int, str]]  # today's communes: (id, full name)
    old_communes: list[tuple[int, str]]  # the old map's communes that rolled up into it
    beneficiaries: list[int]
    agency_id: int = 0  # the Sở
    centre_id: int = 0  # the Trung tâm Khuyến công
    officer_id: int = 0
    centre_user_id: int = 0
    leader_id: int = 0
    local_programmes: dict[int, int] | None = None  # start year of period -> programme id


class Generator(ProjectMaker):
    def __init__(self, scale: Scale, *, seed: int = 2025, log: Callable[[str], None] = print):
        self.scale = scale
        self.seed = seed
        self.rng = _FastRandom(seed)
        self.log = log
        self.counts: Counter[str] = Counter()

    # ---- entry point

    def run(self) -> Counter[str]:
        started = time.monotonic()
        with transaction.atomic():
            self._load_reference()
            self._make_people_and_programmes()
            loader = BulkLoader(log=self.log)
            loader.suspend_indexes(BIG_TABLES)
            loader.start()
            self._make_beneficiaries(loader)
            self.log(f"  cơ sở thụ hưởng: {time.monotonic() - started:.1f} giây")
            self._make_projects(loader)
            self.log(f"  đề án và hồ sơ theo dõi: {time.monotonic() - started:.1f} giây")
            loader.finish()
            for table in loader.tables:
                self.counts[table.name] += table.count
        if connection.vendor == "postgresql":
            # Fresh statistics (and, outside a transaction, the visibility map) so plans are realistic at once.
            command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
            with connection.cursor() as cursor:
                for name in sorted({table.name for table in loader.tables}):
                    cursor.execute(f"{command} {connection.ops.quote_name(name)}")
            self.log(f"  {command}: {time.monotonic() - started:.1f} giây")
        self.elapsed = time.monotonic() - started
        return self.counts

    # ---- reference data that must already be there

    def _load_reference(self) -> None:
        provinces = list(AdministrativeUnit.objects.current().provinces().order_by("code"))
        if not provinces:
            raise RuntimeError("Chưa có bản đồ hành chính: chạy `python manage.py load_places` trước.")
        if self.scale.provinces:
            provinces = provinces[: self.scale.provinces]
        self.contents = {c.number: c.pk for c in ActivityContent.objects.all()}
        self.sources = {s.code: s.pk for s in FundingSource.objects.all()}
        self.indicators = {i.code: i.pk for i in Indicator.objects.all()}
        self.kinds = {k.code: k for k in BeneficiaryKind.objects.all()}
        missing = [
            name
            for name, ok in (
                ("nội dung hoạt động", len(self.contents) >= 9),
                ("nguồn kinh phí", {"kcqg", "kcdp", "doi-ung", "khac"} <= set(self.sources)),
                ("loại hình cơ sở", bool(self.kinds)),
            )
            if not ok
        ]
        if missing:
            raise RuntimeError(
                "Thiếu dữ liệu danh mục ("
                + ", ".join(missing)
                + "): chạy `python manage.py bootstrap --no-demo`."
            )
        ids = [p.pk for p in provinces]
        communes: dict[int, list] = defaultdict(list)
        for pk, province_id, name in (
            AdministrativeUnit.objects.current()
            .communes()
            .filter(province_id__in=ids)
            .order_by("code")
            .values_list("pk", "province_id", "full_name")
        ):
            communes[province_id].append((pk, name))
        old: dict[int, list] = defaultdict(list)
        for pk, province_id, name in (
            AdministrativeUnit.objects.historic()
            .communes()
            .filter(current_province_id__in=ids)
            .order_by("code")
            .values_list("pk", "current_province_id", "full_name")
        ):
            old[province_id].append((pk, name))
        rng = self.rng
        self.provinces = []
        for unit in provinces:
            # Big cities and a few provinces are far busier: a heavy-tailed weight per province.
            weight = rng.lognormvariate(0, 0.9) * (4 if unit.code in ("01", "79") else 1)
            fallback = [(unit.pk, unit.full_name)]
            self.provinces.append(
                _Province(
                    unit=unit,
                    weight=weight,
                    communes=communes.get(unit.pk) or fallback,
                    old_communes=old.get(unit.pk) or communes.get(unit.pk) or fallback,
                    beneficiaries=[],
                )
            )

    # ---- agencies, users, programmes, plans (hundreds of rows: the ORM is fine)

    def _make_people_and_programmes(self) -> None:
        User = get_user_model()
        groups = {}
        for role, name in GROUP_NAMES.items():
            groups[role], _ = Group.objects.get_or_create(name=name)
        agencies = []
        for p in self.provinces:
            agencies.append(
                Agency(
                    name=f"Sở Công Thương {p.unit.full_name} {MARK}",
                    short_name=f"SCT {p.unit.name}",
                    kind=Agency.Kind.SO_CONG_THUONG,
                    province=p.unit,
                )
            )
            agencies.append(
                Agency(
                    name=f"Trung tâm Khuyến công {p.unit.name} {MARK}",
                    short_name=f"TTKC {p.unit.name}",
                    kind=Agency.Kind.TRUNG_TAM,
                    province=p.unit,
                )
            )
        ministry = Agency.objects.create(
            name=f"Bộ Công Thương {MARK}", short_name="BCT", kind=Agency.Kind.CUC
        )
        Agency.objects.bulk_create(agencies)
        agencies = {a.name: a for a in Agency.objects.filter(name__endswith=MARK)}
        users, profiles, memberships = [], [], []
        roles_by_username = {}
        for p in self.provinces:
            p.agency_id = agencies[f"Sở Công Thương {p.unit.full_name} {MARK}"].pk
            p.centre_id = agencies[f"Trung tâm Khuyến công {p.unit.name} {MARK}"].pk
            for suffix, role, agency_id in (
                ("canbo", Role.OFFICER, p.agency_id),
                ("lanhdao", Role.LEADER, p.agency_id),
                ("trungtam", Role.CENTRE, p.centre_id),
                ("thamdinh", Role.APPRAISER, p.agency_id),
            ):
                username = f"{PREFIX}{suffix}-{p.unit.code}"
                users.append(User(username=username, first_name=MARK, password="!synthetic"))
                roles_by_username[username] = (role, agency_id)
        users.append(User(username=f"{PREFIX}bo", first_name=MARK, password="!synthetic"))
        roles_by_username[f"{PREFIX}bo"] = (Role.MINISTRY, ministry.pk)
        users.append(
            User(
                username=f"{PREFIX}admin",
                first_name=MARK,
                password="!synthetic",
                is_staff=True,
                is_superuser=True,
            )
        )
        User.objects.bulk_create(users)
        by_name = dict(User.objects.filter(username__startswith=PREFIX).values_list("username", "pk"))
        for username, (role, agency_id) in roles_by_username.items():
            profiles.append(StaffProfile(user_id=by_name[username], agency_id=agency_id))
            memberships.append(User.groups.through(user_id=by_name[username], group_id=groups[role].pk))
        StaffProfile.objects.bulk_create(profiles)
        User.groups.through.objects.bulk_create(memberships)
        for p in self.provinces:
            p.officer_id = by_name[f"{PREFIX}canbo-{p.unit.code}"]
            p.leader_id = by_name[f"{PREFIX}lanhdao-{p.unit.code}"]
            p.centre_user_id = by_name[f"{PREFIX}trungtam-{p.unit.code}"]
        self.counts["auth_user"] = len(users)

        # Programmes: national and local, per five-year period.
        periods = sorted({self._period_start(y) for y in self.years})
        national = {}
        for start in periods:
            national[start] = Programme.objects.create(
                code=f"{PREFIX}ctkcqg-{start}-{start + 4}",
                name=f"Chương trình khuyến công quốc gia giai đoạn {start}–{start + 4} {MARK}",
                level=Programme.Level.NATIONAL,
                owner=ministry,
                start_year=start,
                end_year=start + 4,
                is_demo=True,
                source_note=SOURCE_NOTE,
            ).pk
        locals_ = []
        for p in self.provinces:
            for start in periods:
                locals_.append(
                    Programme(
                        code=f"{PREFIX}ctkcdp-{p.unit.code}-{start}",
                        name=f"Chương trình khuyến công {p.unit.full_name} giai đoạn {start}–{start + 4} {MARK}",
                        level=Programme.Level.LOCAL,
                        owner_id=p.agency_id,
                        province=p.unit,
                        start_year=start,
                        end_year=start + 4,
                        is_demo=True,
                        source_note=SOURCE_NOTE,
                    )
                )
        Programme.objects.bulk_create(locals_)
        by_code = dict(Programme.objects.filter(code__startswith=PREFIX).values_list("code", "pk"))
        targets = []
        for code, pk in by_code.items():
            for order, (indicator, low) in enumerate((("trainees", 800), ("demo-models", 5), ("fairs", 3))):
                if indicator in self.indicators:
                    targets.append(
                        ProgrammeTarget(
                            programme_id=pk,
                            indicator_id=self.indicators[indicator],
                            description=f"Chỉ tiêu {indicator} {MARK}",
                            min_value=low * (10 if "ctkcqg" in code else 1),
                            order=order,
                        )
                    )
        ProgrammeTarget.objects.bulk_create(targets)
        for p in self.provinces:
            p.local_programmes = {s: by_code[f"{PREFIX}ctkcdp-{p.unit.code}-{s}"] for s in periods}
        self.national_programmes = national
        self.counts["programs_programme"] = len(by_code)

        # Plans: one local and one national per province and year; ids given now, rows written at the end.
        self.plan_ids: dict[tuple[int, int, str], int] = {}
        next_plan = (AnnualPlan.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        for p in self.provinces:
            for year in self.years:
                for kind in (AnnualPlan.Kind.LOCAL, AnnualPlan.Kind.NATIONAL):
                    self.plan_ids[(p.unit.pk, year, kind)] = next_plan
                    next_plan += 1

    @property
    def years(self) -> range:
        return range(self.scale.first_year, self.scale.last_year + 1)

    @staticmethod
    def _period_start(year: int) -> int:
        """Programmes run in five-year periods: 2016–2020, 2021–2025, 2026–2030."""
        return 2016 + (year - 2016) // 5 * 5

    # ---- beneficiaries

    def _make_beneficiaries(self, loader: BulkLoader) -> None:
        rng = self.rng
        table = loader.table(
            Beneficiary,
            "id name kind_id tax_code representative phone address unit_at_time_id current_unit_id "
            "province_id industry craft_village employees women_owned ethnic_minority search_text is_demo "
            "source_note created_at updated_at",
            explicit_id=True,
        )
        kind_pick = _pick(rng, {k: w for k, w in KIND_WEIGHTS.items() if k in self.kinds})
        province_pick = _pick(rng, {i: p.weight for i, p in enumerate(self.provinces)})
        tax_seq = 880_000_000 + rng.randrange(0, 1_000_000)
        mark = _fold(MARK)
        for _ in range(self.scale.beneficiaries):
            p = self.provinces[province_pick()]
            commune_id, commune = p.communes[rng.randrange(len(p.communes))]
            kind = self.kinds[kind_pick()]
            craft = CRAFTS[rng.randrange(len(CRAFTS))]
            person = f"{SURNAMES[rng.randrange(len(SURNAMES))]} {GIVEN[rng.randrange(len(GIVEN))]}"
            brand = BRANDS[rng.randrange(len(BRANDS))]
            short = commune.split(" ", 1)[-1]
            if kind.code == "ho-kinh-doanh":
                parts = ("Hộ kinh doanh", person, craft)
            elif kind.code == "dn-nho-va-vua":
                parts = ("Công ty TNHH", brand, craft)
            elif kind.code in ("htx", "lien-hiep-htx"):
                parts = ("Hợp tác xã" if kind.code == "htx" else "Liên hiệp HTX", craft, short)
            elif kind.code == "nghe-nhan":
                parts = ("Nghệ nhân", person)
            else:
                parts = ("Tổ hợp tác", craft, short)
            name = " ".join(parts) + " " + MARK
            tax_code = None
            if kind.tax_code_required or rng.random() < 0.3:
                while True:
                    tax_seq += 1
                    nine = str(tax_seq)
                    try:
                        tax_code = nine + make_check_digit(nine)
                        break
                    except ValueError:
                        continue
                if rng.random() < 0.04:
                    tax_code += f"-{rng.randint(1, 20):03d}"
            village = f"Làng nghề {craft} {short}" if rng.random() < 0.25 else ""
            address = f"Thôn {rng.randint(1, 12)}, {commune}, {p.unit.full_name}"
            search = " ".join(
                x
                for x in (
                    " ".join(_fold(x) for x in parts) + " " + mark,
                    tax_code or "",
                    f"thon {address.split(' ', 2)[1]} {_fold(commune)}, {_fold(p.unit.full_name)}",
                    _fold(village) if village else "",
                    _fold(craft),
                )
                if x
            )[:700]
            created = _ts(
                datetime.datetime(2015, 1, 1, tzinfo=datetime.UTC)
                + datetime.timedelta(minutes=rng.randrange(5_500_000))
            )
            bid = table.take_id()
            table.add(
                bid,
                name,
                kind.pk,
                tax_code,
                person,
                f"0{rng.randint(200_000_000, 999_999_999)}",
                address,
                commune_id,
                commune_id,
                p.unit.pk,
                craft,
                village,
                rng.randint(2, 300) if kind.code != "ho-kinh-doanh" else rng.randint(1, 12),
                rng.random() < 0.3,
                rng.random() < 0.08,
                search,
                True,
                SOURCE_NOTE,
                created,
                created,
            )
            p.beneficiaries.append(bid)
        table.flush()

    def _write_plans(self, loader: BulkLoader, counts: Counter, planned: dict[int, Counter]) -> None:
        plans = loader.table(
            AnnualPlan,
            "id programme_id province_id agency_id year kind name decision_number decision_date "
            "decision_authority declared_project_count declared_total is_demo source_note",
            explicit_id=True,
        )
        allocations = loader.table(PlanAllocation, "plan_id source_id amount")
        provinces = {p.unit.pk: p for p in self.provinces}
        for (province_id, year, kind), plan_id in sorted(self.plan_ids.items(), key=lambda kv: kv[1]):
            p = provinces[province_id]
            start = self._period_start(year)
            programme = self.national_programmes[start] if kind == "kcqg" else p.local_programmes[start]
            label = "khuyến công quốc gia" if kind == "kcqg" else "khuyến công địa phương"
            total = sum(planned[plan_id].values())
            plans.add(
                plan_id,
                programme,
                province_id,
                p.agency_id,
                year,
                kind,
                f"Kế hoạch {label} năm {year} — {p.unit.full_name} {MARK}",
                f"{plan_id}/QĐ-UBND",
                datetime.date(year, 1, 15).isoformat(),
                f"UBND {p.unit.full_name}",
                counts[plan_id],
                _round_money(total * 1.05) if total else None,
                True,
                SOURCE_NOTE,
            )
            for source, amount in planned[plan_id].items():
                allocations.add(plan_id, source, _round_money(amount * self.rng.uniform(1.0, 1.08)))
