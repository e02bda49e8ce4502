"""Reporting periods the law asks for: a year, a half-year or a quarter (NĐ 45, reporting upwards)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@dataclass(frozen=True)
class Period:
    """A year, or one half or one quarter of it. Plans are yearly; money moves are dated inside the period."""

    year: int
    half: int | None = None
    quarter: int | None = None

    def __post_init__(self) -> None:
        if self.half is not None and self.quarter is not None:
            raise ValueError(_("Chỉ chọn một trong hai: 6 tháng hoặc quý."))
        if self.half is not None and self.half not in (1, 2):
            raise ValueError(_("Nửa năm phải là 1 hoặc 2."))
        if self.quarter is not None and self.quarter not in (1, 2, 3, 4):
            raise ValueError(_("Quý phải từ 1 đến 4."))
        if not 2000 <= self.year <= 2100:
            raise ValueError(_("Năm báo cáo không hợp lệ."))

    @property
    def kind(self) -> str:
        if self.quarter:
            return "quarter"
        if self.half:
            return "half"
        return "year"

    @property
    def first_month(self) -> int:
        if self.quarter:
            return 3 * (self.quarter - 1) + 1
        if self.half:
            return 6 * (self.half - 1) + 1
        return 1

    @property
    def last_month(self) -> int:
        if self.quarter:
            return 3 * self.quarter
        if self.half:
            return 6 * self.half
        return 12

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, self.first_month, 1)

    @property
    def end(self) -> datetime.date:
        if self.last_month == 12:
            return datetime.date(self.year, 12, 31)
        return datetime.date(self.year, self.last_month + 1, 1) - datetime.timedelta(days=1)

    @property
    def year_start(self) -> datetime.date:
        return datetime.date(self.year, 1, 1)

    @property
    def label(self) -> str:
        """ "năm 2018", "6 tháng đầu năm 2018", "quý III năm 2018"."""
        if self.quarter:
            return _("quý %(q)s năm %(year)s") % {"q": ROMAN[self.quarter], "year": self.year}
        if self.half == 1:
            return _("6 tháng đầu năm %(year)s") % {"year": self.year}
        if self.half == 2:
            return _("6 tháng cuối năm %(year)s") % {"year": self.year}
        return _("năm %(year)s") % {"year": self.year}

    @property
    def slug(self) -> str:
        if self.quarter:
            return f"{self.year}-q{self.quarter}"
        if self.half:
            return f"{self.year}-h{self.half}"
        return str(self.year)

    @property
    def is_whole_year(self) -> bool:
        return self.kind == "year"

    @classmethod
    def from_slug(cls, slug: str) -> Period:
        """ "2018", "2018-h1", "2018-q3" (as in download URLs); ValueError otherwise."""
        year, _sep, part = slug.partition("-")
        if not year.isdigit() or len(year) != 4:
            raise ValueError(_("Kỳ báo cáo không hợp lệ."))
        if not part:
            return cls(int(year))
        if len(part) == 2 and part[0] == "h" and part[1].isdigit():
            return cls(int(year), half=int(part[1]))
        if len(part) == 2 and part[0] == "q" and part[1].isdigit():
            return cls(int(year), quarter=int(part[1]))
        raise ValueError(_("Kỳ báo cáo không hợp lệ."))

    @classmethod
    def all_of_year(cls, year: int) -> list[Period]:
        """Every period of a year, in the order download buttons list them."""
        return [
            cls(year),
            cls(year, half=1),
            cls(year, half=2),
            *(cls(year, quarter=q) for q in (1, 2, 3, 4)),
        ]
