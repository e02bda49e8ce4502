"""The synthetic dataset's vocabulary: scales, marks, word lists, weights and the paths đề án take."""

from __future__ import annotations

import bisect
import random
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from beneficiaries.models import Beneficiary
from khuyencong.vn_text import fold_accents
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
