"""The parts of a Vietnamese administrative document around a report (NĐ 30/2020/NĐ-CP, Phụ lục I):
issuing body, national motto, number line, place and date, signer and recipients."""

from __future__ import annotations

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
        place=province.name,
        year=timezone.localdate().year,
        signer_role=_("Giám đốc"),
        signer_hint=_("(Ký, ghi rõ họ tên và đóng dấu)"),
        recipients=[
            _("Ủy ban nhân dân %(province)s;") % {"province": in_sentence(province.full_name)},
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
        place=_("Hà Nội"),
        year=timezone.localdate().year,
        signer_role=_("Cục trưởng"),
        signer_hint=_("(Ký, ghi rõ họ tên và đóng dấu)"),
        recipients=[
            _("Lãnh đạo Bộ (để báo cáo);"),
            _("Sở Công Thương các tỉnh, thành phố;"),
            _("Lưu: VT, KC."),
        ],
        footer=subject,
    )
