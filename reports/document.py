"""The parts of a Vietnamese administrative document around a report (NĐ 30/2020/NĐ-CP, Phụ lục I):
issuing body, national motto, number line, place and date, signer and recipients."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from places.models import AdministrativeUnit


@dataclass
class DocumentHead:
    superior: str
    body: str
    number: str
    place: str
    year: int
    signer_role: str
    signer_hint: str
    recipients: list[str] = field(default_factory=list)
    footer: str = ""
    # "Kính gửi": the higher bodies a report goes to.
    addressees: list[str] = field(default_factory=list)
    # Filled when the report is issued (see IssueStamp); blank lines otherwise.
    date: datetime.date | None = None
    signer_name: str = ""
    symbol: str = ""  # "BC-SCT": the kind of document and the issuing body, after the number

    @property
    def date_parts(self) -> tuple[str, str, int] | None:
        """Day and month as NĐ 30/2020 writes them: a leading zero for days below 10 and for months 1 and 2."""
        if self.date is None:
            return None
        month = f"{self.date.month:02d}" if self.date.month < 3 else str(self.date.month)
        return f"{self.date.day:02d}", month, self.date.year


@dataclass
class IssueStamp:
    """What issuing adds to a report: its number in the register of outgoing documents, the date, the signer's
    name, and how to verify it. `anchors` is filled by the renderer: where on which page the signatures go."""

    number: str  # "Số: 05/BC-SCT"; see number_line
    date: datetime.date
    signer_name: str = ""
    verify_code: str = ""
    verify_url: str = ""
    qr_svg: str = ""
    anchors: dict[str, tuple[int, float, float]] = field(default_factory=dict)

    @staticmethod
    def number_line(number: int, symbol: str) -> str:
        """ "Số: 05/BC-SCT": the number as the decree writes it, with a leading zero below 10."""
        return _("Số: %(number)s/%(symbol)s") % {"number": f"{number:02d}", "symbol": symbol}

    def apply(self, head: DocumentHead) -> DocumentHead:
        head.number = self.number
        head.date = self.date
        head.signer_name = self.signer_name
        return head


def _upper(text: str) -> str:
    return text.upper()


def in_sentence(name: str) -> str:
    """ "Thành phố Cần Thơ" -> "thành phố Cần Thơ" (the kind in lower case, the proper name kept)."""
    return name[:1].lower() + name[1:]


def for_province(province: AdministrativeUnit, *, subject: str) -> DocumentHead:
    """The Sở Công Thương of a province reports to its People's Committee and to the Ministry."""
    return DocumentHead(
        superior=_upper(_("UBND %(province)s") % {"province": province.full_name}),
        body=_upper(_("Sở Công Thương")),
        number=_("Số:        /BC-SCT"),
        symbol="BC-SCT",
        place=province.name,
        year=timezone.localdate().year,
        signer_role=_("Giám đốc"),
        signer_hint=_("(Ký, ghi rõ họ tên và đóng dấu)"),
        addressees=[
            _("Ủy ban nhân dân %(province)s;") % {"province": in_sentence(province.full_name)},
            _("Bộ Công Thương."),
        ],
        recipients=[
            _("Như trên;"),
            _("Bộ Công Thương (Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công);"),
            _("Ban Giám đốc Sở;"),
            _("Lưu: VT, Trung tâm Khuyến công."),
        ],
        footer=subject,
    )


def for_ministry(*, subject: str) -> DocumentHead:
    return DocumentHead(
        superior=_upper(_("Bộ Công Thương")),
        body=_upper(_("Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công")),
        number=_("Số:        /BC-ĐMST"),
        symbol="BC-ĐMST",
        place=_("Hà Nội"),
        year=timezone.localdate().year,
        signer_role=_("Cục trưởng"),
        signer_hint=_("(Ký, ghi rõ họ tên và đóng dấu)"),
        addressees=[_("Lãnh đạo Bộ Công Thương.")],
        recipients=[
            _("Như trên;"),
            _("Sở Công Thương các tỉnh, thành phố;"),
            _("Lưu: VT, KC."),
        ],
        footer=subject,
    )
