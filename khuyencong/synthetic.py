"""A synthetic national dataset for load tests: 34 provinces, ten years, every đề án status.

Rows are written in bulk: PostgreSQL COPY from an in-memory buffer, or executemany on SQLite (small scale
only). Every row is marked: `is_demo=True`, codes and user names start with "syn-", names end with
"(dữ liệu tổng hợp)". The same seed gives the same data. Volumes are skewed as real data is: a few large
đề án with many budget lines and many small ones; some provinces far busier than others; recent years busier
than old ones.
"""

from __future__ import annotations

import bisect
import datetime
import io
import queue
import random
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection, models, transaction

from accounts.models import StaffProfile
from accounts.roles import GROUP_NAMES, Role
from beneficiaries.models import Beneficiary, BeneficiaryKind
from beneficiaries.tax_code import make_check_digit
from khuyencong.vn_text import fold_accents
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
from projects.models import (
    Acceptance,
    Advance,
    BudgetLine,
    Disbursement,
    ProgressReport,
    Project,
    ProjectBeneficiary,
    ProjectOutput,
    ProjectTransition,
    SettlementLine,
)
from projects.models import ProjectStatus as S
from projects.models import WorkflowAction as A

PREFIX = "syn-"
MARK = "(dữ liệu tổng hợp)"
SOURCE_NOTE = "Dữ liệu tổng hợp cho kiểm thử tải (generate_synthetic)"


@dataclass(frozen=True)
class Scale:
    name: str
    provinces: int | None  # None: all 34 of today's map
    first_year: int
    last_year: int
    beneficiaries: int
    projects: int


SCALES: dict[str, Scale] = {
    "national": Scale("national", None, 2016, 2025, 500_000, 200_000),
    "small": Scale("small", 3, 2023, 2025, 300, 120),
}


# --------------------------------------------------------------------------------------------------
# Bulk writer: COPY on PostgreSQL, executemany elsewhere


class _Table:
    """Rows of one table. Columns not given take the model field's default, so a field added later with a
    default does not break the load."""

    def __init__(self, loader: BulkLoader, model: type[models.Model], columns: list[str], explicit_id: bool):
        self.loader = loader
        self.model = model
        self.name = model._meta.db_table
        fields = {f.column: f for f in model._meta.concrete_fields}
        unknown = [c for c in columns if c not in fields]
        if unknown:
            raise ValueError(f"{self.name}: unknown columns {unknown}")
        rest = [
            f for col, f in fields.items() if col not in columns and not (col == "id" and not explicit_id)
        ]
        self.columns = columns + [f.column for f in rest]
        self.tail = tuple(loader.default_of(f) for f in rest)
        self.explicit_id = explicit_id
        self.rows: list = []
        self.count = 0
        self.next_id = loader.max_id(self.name) + 1 if explicit_id else 0

    def take_id(self) -> int:
        value = self.next_id
        self.next_id += 1
        return value

    def add(self, *values) -> None:
        self.rows.append(values + self.tail if self.tail else values)
        if len(self.rows) >= self.loader.chunk:
            self.flush()

    def flush(self) -> None:
        if self.rows:
            self.loader.write(self, self.rows)
            self.count += len(self.rows)
            self.rows = []


def _pg_text(value) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    return str(value)


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


class BulkLoader:
    """Streams rows into tables. On PostgreSQL, `suspend_indexes` drops the secondary indexes of the tables
    about to grow and `finish` builds them again: one sorted build is far cheaper than millions of inserts
    into a B-tree or a trigram GIN index. All of it runs in the caller's transaction."""

    def __init__(self, *, chunk: int = 20_000, log: Callable[[str], None] = print):
        self.log = log
        self.connection = connection
        self.is_pg = connection.vendor == "postgresql"
        self.chunk = chunk
        self.tables: list[_Table] = []
        self.suspended: list[tuple[str, str]] = []  # (index name, CREATE INDEX statement)
        self.now = _ts(datetime.datetime.now(datetime.UTC).replace(tzinfo=None))

    def max_id(self, table: str) -> int:
        if getattr(self, "sender", None) is not None:
            self.pending.join()  # the connection carries one statement at a time: let the COPYs finish
            if self.failure is not None:
                self._stop_sender()
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {self.connection.ops.quote_name(table)}")
            return cursor.fetchone()[0]

    def default_of(self, field: models.Field):
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            return self.now
        value = field.get_default()
        if isinstance(value, datetime.datetime):
            return _ts(value.replace(tzinfo=None))
        if isinstance(value, datetime.date):
            return value.isoformat()
        return value

    def table(self, model: type[models.Model], columns: str, *, explicit_id: bool = False) -> _Table:
        table = _Table(self, model, columns.split(), explicit_id)
        self.tables.append(table)
        return table

    def start(self) -> None:
        """On PostgreSQL: skip the per-row foreign-key triggers when allowed (checked set-wise in `finish`),
        and send COPY buffers from a second thread, so the server ingests while Python builds rows."""
        if not self.is_pg:
            return
        self.checks_fk_later = False
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            if cursor.fetchone()[0]:
                cursor.execute("SET LOCAL session_replication_role = replica")
                self.checks_fk_later = True
        self.raw = self.connection.connection  # the psycopg2 connection, inside the open transaction
        self.pending: queue.Queue = queue.Queue(maxsize=3)
        self.failure: BaseException | None = None
        self.sender = threading.Thread(target=self._send, daemon=True)
        self.sender.start()

    def _send(self) -> None:
        cursor = self.raw.cursor()
        while True:
            item = self.pending.get()
            if item is None:
                self.pending.task_done()
                break
            if self.failure is None:
                try:
                    cursor.copy_expert(item[0], item[1])
                except BaseException as error:  # noqa: BLE001 — handed back to the main thread
                    self.failure = error
            self.pending.task_done()
        cursor.close()

    def _stop_sender(self) -> None:
        if getattr(self, "sender", None) is not None:
            self.pending.put(None)
            self.sender.join()
            self.sender = None
            if self.failure is not None:
                raise self.failure

    def write(self, table: _Table, rows: list[tuple]) -> None:
        quote = self.connection.ops.quote_name
        columns = ", ".join(quote(c) for c in table.columns)
        if self.is_pg:
            buffer = io.StringIO("\n".join("\t".join(map(_pg_text, row)) for row in rows) + "\n")
            if self.failure is not None:
                self._stop_sender()
            self.pending.put((f"COPY {quote(table.name)} ({columns}) FROM STDIN", buffer))
            return
        marks = ", ".join(["%s"] * len(table.columns))
        with self.connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {quote(table.name)} ({columns}) VALUES ({marks})", rows)

    def _check_foreign_keys(self) -> None:
        """What the skipped triggers would have checked, as one anti-join per foreign key."""
        quote = self.connection.ops.quote_name
        with self.connection.cursor() as cursor:
            for table in self.tables:
                for field in table.model._meta.concrete_fields:
                    if not field.is_relation or field.column not in table.columns:
                        continue
                    target = field.target_field
                    cursor.execute(
                        f"SELECT c.{quote(field.column)} FROM {quote(table.name)} c "
                        f"WHERE c.{quote(field.column)} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "
                        f"{quote(target.model._meta.db_table)} t WHERE t.{quote(target.column)} = c.{quote(field.column)}) "
                        "LIMIT 1"
                    )
                    missing = cursor.fetchone()
                    if missing:
                        raise RuntimeError(
                            f"{table.name}.{field.column} = {missing[0]}: không có bản ghi được trỏ tới"
                        )

    def suspend_indexes(self, models_: Iterable[type[models.Model]]) -> None:
        """Drop the indexes that back no constraint (primary and unique keys stay and keep checking)."""
        if not self.is_pg:
            return
        with self.connection.cursor() as cursor:
            for model in models_:
                cursor.execute(
                    "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
                    "WHERE i.indrelid = %s::regclass AND NOT i.indisprimary AND NOT EXISTS "
                    "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
                    [model._meta.db_table],
                )
                for name, definition in cursor.fetchall():
                    cursor.execute(f"DROP INDEX {name}")
                    self.suspended.append((name, definition))

    def finish(self) -> None:
        for table in self.tables:
            table.flush()
        if self.is_pg:
            self._stop_sender()
            if self.checks_fk_later:
                started = time.monotonic()
                with self.connection.cursor() as cursor:
                    cursor.execute("SET LOCAL session_replication_role = origin")
                self._check_foreign_keys()
                self.log(f"  kiểm tra khóa ngoại (theo tập): {time.monotonic() - started:.1f} giây")
            with self.connection.cursor() as cursor:
                # Check the deferred foreign keys now: an index cannot be built under pending checks.
                started = time.monotonic()
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                self.log(f"  kiểm tra khóa ngoại: {time.monotonic() - started:.1f} giây")
                started = time.monotonic()
                cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
                for _name, definition in self.suspended:
                    cursor.execute(definition)
                self.log(f"  dựng lại {len(self.suspended)} chỉ mục: {time.monotonic() - started:.1f} giây")
                for table in self.tables:
                    if table.explicit_id:
                        cursor.execute(
                            "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
                            f"(SELECT MAX(id) FROM {self.connection.ops.quote_name(table.name)}))",
                            [table.name],
                        )


def _ts(moment: datetime.datetime) -> str:
    """A UTC timestamp as both backends read it (the connection's time zone is UTC)."""
    return moment.strftime("%Y-%m-%d %H:%M:%S")


# --------------------------------------------------------------------------------------------------
# Word lists


CRAFTS = [
    "mây tre đan",
    "gốm sứ",
    "dệt thổ cẩm",
    "chế biến nông sản",
    "cơ khí nhỏ",
    "mộc mỹ nghệ",
    "nước mắm",
    "chế biến chè",
    "bánh tráng",
    "sơn mài",
    "thêu ren",
    "rèn nông cụ",
    "đúc đồng",
    "chế biến gỗ",
    "may mặc",
    "chế biến thủy sản",
    "rượu truyền thống",
    "làm hương",
    "nón lá",
    "đan lát cói",
    "chế biến cà phê",
    "sản xuất gạch không nung",
    "in bao bì",
    "chế biến hạt điều",
    "đá mỹ nghệ",
]
SURNAMES = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
]
GIVEN = [
    "Văn An",
    "Thị Bình",
    "Minh Châu",
    "Đức Dũng",
    "Thu Hà",
    "Quang Huy",
    "Ngọc Lan",
    "Hữu Phúc",
    "Thanh Tâm",
    "Xuân Trường",
    "Thị Hương",
    "Văn Đông",
    "Thị Nga",
    "Công Thành",
    "Bảo Ngọc",
    "Đình Khoa",
    "Thị Yến",
    "Văn Lộc",
]
BRANDS = [
    "Phú Thành",
    "An Khang",
    "Hưng Thịnh",
    "Đại Phát",
    "Thành Công",
    "Hoàng Long",
    "Việt Tiến",
    "Minh Phát",
    "Tân Tiến",
    "Bình Minh",
    "Quốc Đạt",
    "Sông Hồng",
    "Trường Sơn",
    "Đồng Tâm",
    "Kim Ngân",
]
CONTENT_TITLES = {
    1: "Đào tạo nghề, truyền nghề {craft}",
    2: "Nâng cao năng lực quản lý cho cơ sở {craft}",
    3: "Hỗ trợ ứng dụng máy móc thiết bị tiên tiến trong {craft}",
    4: "Hỗ trợ phát triển sản phẩm tiêu biểu, tham gia hội chợ ngành {craft}",
    5: "Tư vấn đầu tư, thiết kế mẫu mã cho cơ sở {craft}",
    6: "Tuyên truyền, xây dựng cơ sở dữ liệu khuyến công ngành {craft}",
    7: "Hỗ trợ hạ tầng cụm công nghiệp, xử lý ô nhiễm cơ sở {craft}",
    8: "Hợp tác quốc tế, khảo sát học tập kinh nghiệm ngành {craft}",
    9: "Nâng cao năng lực tổ chức thực hiện khuyến công",
}
EXPENSE_ITEMS = {
    1: ["Thù lao giáo viên", "Nguyên vật liệu thực hành", "Hỗ trợ tiền ăn học viên", "Thuê hội trường"],
    2: ["Thù lao giảng viên", "Tài liệu", "Thuê hội trường", "Hỗ trợ học viên"],
    3: ["Mua sắm máy móc thiết bị", "Lắp đặt, chuyển giao công nghệ", "Hội nghị tham quan mô hình"],
    4: ["Thuê gian hàng", "Vận chuyển sản phẩm", "Thiết kế thương hiệu", "Tổ chức bình chọn"],
    5: ["Chi phí tư vấn", "Khảo sát thực tế", "Báo cáo tư vấn"],
    6: ["Sản xuất phóng sự", "In ấn tài liệu", "Duy trì trang thông tin"],
    7: ["Hạ tầng kỹ thuật", "Thiết bị xử lý môi trường", "Tư vấn lập dự án"],
    8: ["Đoàn khảo sát", "Phiên dịch", "Hội thảo quốc tế"],
    9: ["Tập huấn cán bộ", "Kiểm tra, giám sát", "Cơ sở dữ liệu khuyến công"],
}
OUTPUTS_BY_CONTENT = {
    1: [("classes", 1, 4), ("trainees", 20, 120), ("trainees-employed", 10, 100)],
    2: [("management-classes", 1, 3), ("management-trainees", 30, 200)],
    3: [("demo-models", 1, 2), ("machines", 1, 12), ("machinery-establishments", 1, 8)],
    4: [("fairs", 1, 2), ("booths", 5, 80), ("certified-products", 1, 10), ("brands", 1, 3)],
    5: [("establishments-supported", 1, 10)],
    6: [("media-products", 1, 20)],
    7: [("establishments-supported", 1, 5)],
    8: [("establishments-supported", 1, 5)],
    9: [("management-trainees", 10, 80)],
}
CONTENT_WEIGHTS = {1: 24, 2: 10, 3: 30, 4: 14, 5: 6, 6: 6, 7: 4, 8: 1, 9: 5}
KIND_WEIGHTS = {
    "ho-kinh-doanh": 40,
    "dn-nho-va-vua": 28,
    "htx": 15,
    "to-hop-tac": 6,
    "lien-hiep-htx": 2,
    "nghe-nhan": 6,
    "khac": 3,
}

# The path a đề án took to its status; a few in progress or later also went through an adjustment.
_PATH = [
    (A.SUBMIT, S.DRAFT, S.SUBMITTED),
    (A.START_APPRAISAL, S.SUBMITTED, S.APPRAISING),
    (A.APPROVE, S.APPRAISING, S.APPROVED),
    (A.CONTRACT, S.APPROVED, S.CONTRACTED),
    (A.START, S.CONTRACTED, S.IN_PROGRESS),
    (A.ACCEPT, S.IN_PROGRESS, S.ACCEPTED),
    (A.CLOSE, S.ACCEPTED, S.CLOSED),
    (A.SETTLE, S.CLOSED, S.SETTLED),
]
PATHS: dict[str, list[tuple[str, str, str]]] = {
    S.DRAFT: [],
    S.SUBMITTED: _PATH[:1],
    S.APPRAISING: _PATH[:2],
    S.RETURNED: [*_PATH[:2], (A.RETURN, S.APPRAISING, S.RETURNED)],
    S.REJECTED: [*_PATH[:2], (A.REJECT, S.APPRAISING, S.REJECTED)],
    S.WITHDRAWN: [*_PATH[:1], (A.WITHDRAW, S.SUBMITTED, S.WITHDRAWN)],
    S.APPROVED: _PATH[:3],
    S.CONTRACTED: _PATH[:4],
    S.IN_PROGRESS: _PATH[:5],
    S.ADJUSTING: [*_PATH[:5], (A.REQUEST_ADJUSTMENT, S.IN_PROGRESS, S.ADJUSTING)],
    S.STOPPED: [*_PATH[:5], (A.STOP, S.IN_PROGRESS, S.STOPPED)],
    S.ACCEPTED: _PATH[:6],
    S.CLOSED: _PATH[:7],
    S.SETTLED: _PATH[:8],
}
STARTED = frozenset({S.IN_PROGRESS, S.ADJUSTING, S.STOPPED, S.ACCEPTED, S.CLOSED, S.SETTLED})
CONTRACTED_OR_LATER = STARTED | {S.CONTRACTED}
APPROVED_OR_LATER = CONTRACTED_OR_LATER | {S.APPROVED}
ACCEPTED_OR_LATER = frozenset({S.ACCEPTED, S.CLOSED, S.SETTLED})


def status_weights(age: int) -> dict[str, int]:
    """How the đề án of a year stand today, by its age in years (0: the current year)."""
    if age >= 3:
        return {S.SETTLED: 78, S.CLOSED: 4, S.ACCEPTED: 1, S.STOPPED: 3, S.REJECTED: 9, S.WITHDRAWN: 5}
    if age == 2:
        return {
            S.SETTLED: 55, S.CLOSED: 16, S.ACCEPTED: 8, S.IN_PROGRESS: 2, S.STOPPED: 3, S.REJECTED: 10,
            S.WITHDRAWN: 6,
        }  # fmt: skip
    if age == 1:
        return {
            S.SETTLED: 18, S.CLOSED: 24, S.ACCEPTED: 20, S.IN_PROGRESS: 12, S.ADJUSTING: 3, S.STOPPED: 4,
            S.REJECTED: 10, S.WITHDRAWN: 5, S.CONTRACTED: 1, S.APPROVED: 3,
        }  # fmt: skip
    return {
        S.DRAFT: 6, S.SUBMITTED: 8, S.APPRAISING: 8, S.RETURNED: 4, S.REJECTED: 6, S.WITHDRAWN: 4,
        S.APPROVED: 10, S.CONTRACTED: 10, S.IN_PROGRESS: 28, S.ADJUSTING: 5, S.ACCEPTED: 6, S.STOPPED: 3,
        S.CLOSED: 1, S.SETTLED: 1,
    }  # fmt: skip


BIG_TABLES = [
    Beneficiary,
    Project,
    Project.contents.through,
    Project.sites.through,
    BudgetLine,
    ProjectBeneficiary,
    ProjectOutput,
    ProjectTransition,
    ProgressReport,
    Advance,
    Disbursement,
    Acceptance,
    SettlementLine,
]


class _FastRandom(random.Random):
    """randrange and randint through random(): several times faster than the exact versions and uniform
    enough for test data. Deterministic for a seed, like the rest."""

    def randrange(self, start, stop=None, step=1):
        if stop is None:
            return int(self.random() * start)
        return start + int(self.random() * (stop - start))

    def randint(self, a, b):
        return a + int(self.random() * (b - a + 1))


@cache
def _fold(text: str) -> str:
    return fold_accents(text)


def _pick(rng: random.Random, weights: dict) -> Callable[[], object]:
    keys = list(weights)
    cumulative = []
    total = 0
    for key in keys:
        total += weights[key]
        cumulative.append(total)

    def pick():
        return keys[bisect.bisect_right(cumulative, rng.random() * total)]

    return pick


def _round_money(value: float) -> int:
    return max(1000, int(value) // 1000 * 1000)


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


class Generator:
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

    # ---- đề án and everything that hangs off them

    def _make_projects(self, loader: BulkLoader) -> None:
        rng = self.rng
        T = loader.table
        projects = T(
            Project,
            "id code title plan_id year province_id kind shape selection implementing_agency_id site_address "
            "start_date end_date status approval_decision_number approval_decision_date contract_number "
            "contract_date closure_number closure_date settlement_decision_number settlement_decision_date "
            "created_by_id created_at updated_at search_text is_demo source_note",
            explicit_id=True,
        )
        contents_t = T(Project.contents.through, "project_id activitycontent_id")
        sites_t = T(Project.sites.through, "project_id administrativeunit_id")
        lines_t = T(BudgetLine, "project_id source_id content_id expense_item amount order")
        links_t = T(
            ProjectBeneficiary,
            "project_id beneficiary_id support_amount counterpart_amount counterpart_committed",
        )
        outputs_t = T(ProjectOutput, "project_id indicator_id planned achieved")
        moves_t = T(
            ProjectTransition,
            "project_id action from_status to_status actor_id created_at comment decision_number decision_date",
        )
        reports_t = T(
            ProgressReport, "project_id month due_on submitted_at percent_complete summary reported_by_id"
        )
        advances_t = T(
            Advance,
            "id project_id source_id tranche amount status requested_by_id requested_at decided_by_id "
            "decided_at decision_date comment",
            explicit_id=True,
        )
        payments_t = T(
            Disbursement,
            "project_id source_id amount paid_on reference advance_id recorded_by_id recorded_at",
        )
        acceptances_t = T(
            Acceptance, "project_id minutes_number minutes_date conclusion note recorded_by_id recorded_at"
        )
        settlements_t = T(SettlementLine, "project_id source_id amount")

        src = self.sources
        content_pick = _pick(rng, CONTENT_WEIGHTS)
        province_pick = _pick(rng, {i: p.weight for i, p in enumerate(self.provinces)})
        years = list(self.years)
        # Recent years are busier than old ones.
        year_pick = _pick(rng, {y: 1 + 0.08 * (y - years[0]) for y in years})
        per_year = Counter(year_pick() for _ in range(self.scale.projects))
        status_pick = {y: _pick(rng, status_weights(self.scale.last_year - y)) for y in years}
        seq: Counter[tuple[int, str]] = Counter()
        plan_counts: Counter[int] = Counter()
        plan_planned: dict[int, Counter] = defaultdict(Counter)
        mark = _fold(MARK)
        day = datetime.timedelta(days=1)

        def stamp(d: datetime.date) -> str:
            return f"{d.isoformat()} {rng.randint(1, 9):02d}:{rng.randint(0, 59):02d}:00"

        for year in years:
            for _ in range(per_year[year]):
                p = self.provinces[province_pick()]
                kind = "kcqg" if rng.random() < 0.2 else "kcdp"
                plan_id = self.plan_ids[(p.unit.pk, year, kind)]
                status = status_pick[year]()
                pid = projects.take_id()
                seq[(year, p.unit.code)] += 1
                code = f"{PREFIX}{year}-{p.unit.code}-{seq[(year, p.unit.code)]:05d}"
                n_contents = 1 if rng.random() < 0.75 else (2 if rng.random() < 0.8 else 3)
                contents = []
                while len(contents) < n_contents:
                    c = content_pick()
                    if c not in contents:
                        contents.append(c)
                craft = CRAFTS[rng.randrange(len(CRAFTS))]
                pool = p.old_communes if year < 2025 else p.communes
                n_sites = 1 if rng.random() < 0.85 else rng.randint(2, 3)
                sites = {pool[rng.randrange(len(pool))] for _ in range(n_sites)}
                first_site = next(iter(sites))[1]
                lead = CONTENT_TITLES[contents[0]].format(craft=craft)
                title = f"{lead} tại {first_site} {MARK}"
                site_address = f"{first_site}, {p.unit.full_name}"
                # The folded parts are cached: fold(a b) == fold(a) fold(b) for trimmed, non-empty parts.
                folded_title = f"{_fold(lead)} tai {_fold(first_site)} {mark}"
                folded_site = f"{_fold(first_site)}, {_fold(p.unit.full_name)}"
                # Size: log-normal, so a few đề án are huge and most are small.
                size = min(20e9, max(30e6, rng.lognormvariate(19.6, 1.0)))  # median ≈ 325 triệu đồng
                n_lines = max(1, min(40, int(rng.expovariate(1 / 4.4)) + 1 + int(size / 2e9)))
                shape = "named" if rng.random() < 0.7 else ("group" if rng.random() < 0.67 else "pilot")

                # Dates along the path.
                created = datetime.date(year - 1, 9, 1) + day * rng.randrange(100)
                submitted = created + day * rng.randint(3, 20)
                appraised = submitted + day * rng.randint(3, 20)
                decided = appraised + day * rng.randint(5, 30)
                contracted = decided + day * rng.randint(7, 40)
                started = contracted + day * rng.randint(1, 10)
                end = datetime.date(year, 11, 10) + day * rng.randrange(45)
                accepted = end + day * rng.randint(0, 20)
                closed = max(accepted + day * 3, datetime.date(year + 1, 1, rng.randint(5, 22)))
                settled = closed + day * rng.randint(20, 120)
                adjusted = started + day * rng.randint(30, 120)
                stopped = started + day * rng.randint(30, 150)
                when = {
                    A.SUBMIT: submitted,
                    A.START_APPRAISAL: appraised,
                    A.APPROVE: decided,
                    A.REJECT: decided,
                    A.RETURN: decided,
                    A.WITHDRAW: appraised,
                    A.CONTRACT: contracted,
                    A.START: started,
                    A.REQUEST_ADJUSTMENT: adjusted,
                    A.STOP: stopped,
                    A.ACCEPT: accepted,
                    A.CLOSE: closed,
                    A.SETTLE: settled,
                }
                approved = status in APPROVED_OR_LATER
                is_contracted = status in CONTRACTED_OR_LATER
                n = seq[(year, p.unit.code)]
                projects.add(
                    pid,
                    code,
                    title,
                    plan_id,
                    year,
                    p.unit.pk,
                    kind,
                    shape,
                    "review" if rng.random() < 0.9 else "tender",
                    p.centre_id,
                    site_address,
                    started.isoformat() if is_contracted else None,
                    end.isoformat() if is_contracted else None,
                    status,
                    f"{n}/QĐ-SCT" if approved else "",
                    decided.isoformat() if approved else None,
                    f"{n}/HĐ-KC" if is_contracted else "",
                    contracted.isoformat() if is_contracted else None,
                    f"{n}/BBTL" if status in (S.CLOSED, S.SETTLED) else "",
                    closed.isoformat() if status in (S.CLOSED, S.SETTLED) else None,
                    f"{n}/QĐ-QT" if status == S.SETTLED else "",
                    settled.isoformat() if status == S.SETTLED else None,
                    p.officer_id,
                    stamp(created),
                    stamp(created),
                    f"{code} {folded_title} {folded_site}"[:800],
                    True,
                    SOURCE_NOTE,
                )  # fmt: skip
                plan_counts[plan_id] += 1
                for c in contents:
                    contents_t.add(pid, self.contents[c])
                for site_id, _name in sites:
                    sites_t.add(pid, site_id)

                # Budget lines: the state source of its kind, counterpart capital, sometimes other sources.
                by_source: Counter[int] = Counter()
                weights = [rng.random() + 0.2 for _ in range(n_lines)]
                total_w = sum(weights)
                for order, w in enumerate(weights, start=1):
                    r = rng.random()
                    source = src[kind] if r < 0.62 else (src["doi-ung"] if r < 0.95 else src["khac"])
                    c = contents[rng.randrange(len(contents))]
                    amount = _round_money(size * w / total_w)
                    items = EXPENSE_ITEMS[c]
                    lines_t.add(
                        pid, source, self.contents[c], items[rng.randrange(len(items))], amount, order
                    )
                    by_source[source] += amount
                state = by_source[src[kind]]
                if approved and status != S.STOPPED:
                    plan_planned[plan_id][src[kind]] += state

                # Beneficiaries.
                n_benef = {
                    "named": rng.randint(1, 3),
                    "group": rng.randint(3, 8),
                    "pilot": rng.randint(1, 2),
                }[shape]
                pool_b = p.beneficiaries
                chosen = {pool_b[rng.randrange(len(pool_b))] for _ in range(n_benef)} if pool_b else set()
                counterpart = by_source[src["doi-ung"]]
                for b in chosen:
                    links_t.add(
                        pid,
                        b,
                        state // len(chosen),
                        counterpart // len(chosen),
                        counterpart > 0 and rng.random() < 0.9,
                    )

                # Outputs of the first content (achieved once accepted).
                done = status in ACCEPTED_OR_LATER
                for indicator, low, high in OUTPUTS_BY_CONTENT[contents[0]][: rng.randint(1, 3)]:
                    if indicator in self.indicators:
                        planned = rng.randint(low, high)
                        achieved = int(planned * rng.uniform(0.85, 1.15)) if done else None
                        outputs_t.add(pid, self.indicators[indicator], planned, achieved)

                # Audit trail.
                path = PATHS[status]
                if status in (S.IN_PROGRESS, S.ACCEPTED, S.CLOSED, S.SETTLED) and rng.random() < 0.1:
                    i = 5
                    path = [
                        *path[:i],
                        (A.REQUEST_ADJUSTMENT, S.IN_PROGRESS, S.ADJUSTING),
                        (A.APPROVE_ADJUSTMENT, S.ADJUSTING, S.IN_PROGRESS),
                        *path[i:],
                    ]
                for action, old, new in path:
                    at = when.get(action) or adjusted + day * rng.randint(5, 20)
                    actor = (
                        p.leader_id if action in (A.APPROVE, A.REJECT, A.SETTLE, A.CLOSE) else p.officer_id
                    )
                    decision = f"{n}/QĐ-SCT" if action == A.APPROVE else ""
                    moves_t.add(
                        pid,
                        action,
                        old,
                        new,
                        actor,
                        stamp(at),
                        "",
                        decision,
                        at.isoformat() if decision else None,
                    )

                if status in STARTED:
                    month = started.replace(day=1)
                    last = min(end, stopped if status == S.STOPPED else end)
                    percent = 0
                    for _ in range(rng.randint(2, 5)):
                        if month > last:
                            break
                        percent = min(100, percent + rng.randint(10, 35))
                        due = month.replace(day=25)
                        reports_t.add(
                            pid,
                            month.isoformat(),
                            due.isoformat(),
                            stamp(due - day * rng.randint(-3, 6)),
                            percent,
                            f"Đã thực hiện {percent}% khối lượng {MARK}",
                            p.centre_user_id,
                        )
                        month = (month + day * 32).replace(day=1)

                if is_contracted and state > 0:
                    tranches = [(0.3, contracted + day * rng.randint(5, 20))]
                    if status in ACCEPTED_OR_LATER or (status in STARTED and rng.random() < 0.4):
                        tranches.append((0.4, started + day * rng.randint(60, 120)))
                    paid = 0
                    for tranche, (share, on) in enumerate(tranches, start=1):
                        aid = advances_t.take_id()
                        amount = _round_money(state * share)
                        pending = status == S.CONTRACTED and rng.random() < 0.5
                        advance_status = Advance.Status.REQUESTED if pending else Advance.Status.APPROVED
                        advances_t.add(
                            aid,
                            pid,
                            src[kind],
                            tranche,
                            amount,
                            advance_status,
                            p.centre_user_id,
                            stamp(on - day * 5),
                            None if pending else p.leader_id,
                            None if pending else stamp(on),
                            None if pending else on.isoformat(),
                            "",
                        )
                        if not pending:
                            paid += amount
                            pay_on = on + day * rng.randint(1, 10)
                            payments_t.add(
                                pid, src[kind], amount, pay_on.isoformat(), f"UNC-{aid}", aid, p.centre_user_id,
                                stamp(pay_on),
                            )  # fmt: skip
                    if status in (S.CLOSED, S.SETTLED) and state - paid > 0:
                        pay_on = closed - day * rng.randint(0, 4)
                        payments_t.add(
                            pid, src[kind], state - paid, pay_on.isoformat(), f"UNC-{pid}-TT", None,
                            p.centre_user_id, stamp(pay_on),
                        )  # fmt: skip
                if done:
                    acceptances_t.add(
                        pid, f"{n}/BB-NT", accepted.isoformat(), "passed" if rng.random() < 0.8 else "notes", "",
                        p.leader_id, stamp(accepted),
                    )  # fmt: skip
                if status == S.SETTLED:
                    for source, amount in by_source.items():
                        settlements_t.add(pid, source, _round_money(amount * rng.uniform(0.92, 1.0)))

        self._write_plans(loader, plan_counts, plan_planned)

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


# --------------------------------------------------------------------------------------------------
# Finding and removing synthetic rows


def synthetic_project_count() -> int:
    return Project.objects.filter(code__startswith=PREFIX, is_demo=True).count()


def delete_synthetic(log: Callable[[str], None] = print) -> None:
    """Remove every synthetic row (children first), leaving real and demo data alone."""
    q = connection.ops.quote_name
    project = q(Project._meta.db_table)
    children: Iterable[type[models.Model]] = [
        ProjectTransition,
        ProgressReport,
        Disbursement,
        Advance,
        Acceptance,
        SettlementLine,
        ProjectOutput,
        BudgetLine,
        ProjectBeneficiary,
        Project.contents.through,
        Project.sites.through,
    ]
    from projects.models import Appraisal, ProjectDocument

    children = [ProjectDocument, Appraisal, *children]
    ids = f"SELECT id FROM {project} WHERE code LIKE %s AND is_demo"
    User = get_user_model()
    with transaction.atomic(), connection.cursor() as cursor:
        for model in children:
            cursor.execute(
                f"DELETE FROM {q(model._meta.db_table)} WHERE project_id IN ({ids})", [PREFIX + "%"]
            )
        cursor.execute(f"DELETE FROM {project} WHERE code LIKE %s AND is_demo", [PREFIX + "%"])
        plans = AnnualPlan.objects.filter(is_demo=True, name__endswith=MARK)
        PlanAllocation.objects.filter(plan__in=plans).delete()
        plans._raw_delete(plans.db)
        ProgrammeTarget.objects.filter(programme__code__startswith=PREFIX).delete()
        Programme.objects.filter(code__startswith=PREFIX, is_demo=True).delete()
        beneficiaries = Beneficiary.objects.filter(is_demo=True, name__endswith=MARK)
        from beneficiaries.models import Certification

        Certification.objects.filter(beneficiary__in=beneficiaries)._raw_delete(connection.alias)
        beneficiaries._raw_delete(connection.alias)
        users = User.objects.filter(username__startswith=PREFIX, first_name=MARK)
        StaffProfile.objects.filter(user__in=users).delete()
        User.groups.through.objects.filter(user__in=users).delete()
        users.delete()
        Agency.objects.filter(name__endswith=MARK).delete()
    log("Đã xóa dữ liệu tổng hợp cũ.")
