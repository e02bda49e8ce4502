"""Place names of an import file to administrative units, the way offices write them.

Three rules on top of the portal's accent-insensitive resolver (`places.resolve`):

- a value exactly as the template's drop-down offers it ("Xã Thuận Hòa, Thành phố Cần Thơ") is that unit
  of today's map, whatever else bears the name;
- among units of the same folded name, the ones whose accented name is the one written win ("Cẩm Giàng" is
  not "Cẩm Giang");
- among today's and old units of the same name, today's win for a record dated from 1/7/2025 (or with no
  date), the old ones for a record dated before.

What is still ambiguous is refused with every candidate named with its district (old map) and province.
"""

from __future__ import annotations

import datetime
import re
import unicodedata

from django.db.models import Q
from django.utils.translation import gettext as _

from places.models import REFORM_DATE, AdministrativeUnit

_SPACES = re.compile(r"\s+")
_TONES = "\u0300\u0301\u0303\u0309\u0323"
# Old-style tone placement ("hoà", "thuỷ") written the new way ("hòa", "thủy"): both name the same unit.
_OLD_TONE = re.compile(rf"([oO])([aAeE])([{_TONES}])(?![\w])|([uU])([yY])([{_TONES}])(?![\w])")
_PUNCTUATION = str.maketrans({"’": "'", "‘": "'", "`": "'", "–": "-", "—": "-"})
_KIND_WORDS = (
    "thành phố",
    "thị trấn",
    "đặc khu",
    "phường",
    "thị xã",
    "huyện",
    "quận",
    "tỉnh",
    "xã",
    "tp.",
    "tp",
)


def exact_key(text: str) -> str:
    """Accented, case- and spacing-insensitive form of a name: "Xã  Thuận Hoà" == "xã thuận hòa"."""
    text = unicodedata.normalize("NFD", (text or "").translate(_PUNCTUATION))
    text = _OLD_TONE.sub(lambda m: (m[1] + m[3] + m[2]) if m[1] else (m[4] + m[6] + m[5]), text)
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip().casefold()


def _without_kind(key: str) -> str:
    for word in _KIND_WORDS:
        if key.startswith(word + " "):
            return key[len(word) + 1 :].strip()
    return key


def template_label(unit: AdministrativeUnit, province: AdministrativeUnit) -> str:
    """How the template's drop-down writes a commune of today's map (`PlaceResolving.template_place` reads
    the same text from the place index)."""
    return f"{unit.full_name}, {province.full_name}"


def describe_unit(unit: AdministrativeUnit) -> str:
    """A unit with where it is: "Xã Thuận Hòa (Huyện Châu Thành, Tỉnh Hậu Giang — bản đồ trước 1/7/2025)"."""
    where = []
    if unit.level == AdministrativeUnit.Level.COMMUNE and unit.era == AdministrativeUnit.Era.OLD:
        if unit.parent is not None:
            where.append(unit.parent.full_name)
    if unit.level != AdministrativeUnit.Level.PROVINCE and unit.province is not None:
        where.append(unit.province.full_name)
    if unit.era == AdministrativeUnit.Era.OLD:
        return _("%(name)s (%(where)s — bản đồ trước 1/7/2025)") % {
            "name": unit.full_name,
            "where": ", ".join(where) or "?",
        }
    return _("%(name)s (%(where)s — bản đồ hiện nay)") % {"name": unit.full_name, "where": ", ".join(where)}


def prefer_written(
    candidates: list[AdministrativeUnit], text: str, on: datetime.date | None
) -> list[AdministrativeUnit]:
    """Narrow same-name candidates by the accents written, then by the record's date (see module doc)."""
    if len(candidates) > 1:
        first = exact_key(re.split(r"[,;()\n]", text, maxsplit=1)[0])
        bare = _without_kind(first)
        same = [
            c for c in candidates if exact_key(c.full_name) == first or exact_key(c.name) in (first, bare)
        ]
        if same:
            candidates = same
    if len(candidates) > 1:
        new = [c for c in candidates if c.era == AdministrativeUnit.Era.NEW]
        old = [c for c in candidates if c.era != AdministrativeUnit.Era.NEW]
        if new and old:
            candidates = new if on is None or on >= REFORM_DATE else old
    return candidates


class PlaceResolving:
    """Resolve place names for a resource, cached per text; the answer is a unit or the reason in words."""

    _place_cache: dict
    _template_places: dict[str, int] | None = None

    def template_place(self, text: str) -> AdministrativeUnit | None:
        """The commune of today's map whose template label is `text` (accents, case and spaces as written)."""
        if self._template_places is None:
            from places.resolve import current_communes

            # From the place index (no query): what `template_label` writes for each commune.
            self._template_places = {
                exact_key(f"{name}, {province}"): pk for pk, name, province in current_communes()
            }
        pk = self._template_places.get(exact_key(text))
        return self.units_by_pk([pk])[0] if pk is not None else None

    def units_by_pk(self, pks: list[int]) -> list[AdministrativeUnit]:
        """The units of `pks` that exist, in that order, each loaded once per import (the first time a
        province's names are met, the units of that province come in one query)."""
        memo = self.__dict__.setdefault("_units", {})
        missing = [pk for pk in pks if pk not in memo]
        if missing:
            loaded = self.__dict__.setdefault("_units_loaded_for", set())
            from places.resolve import today_province_id

            province_id = today_province_id(missing[0])
            if province_id is not None and province_id not in loaded:
                loaded.add(province_id)
                for unit in AdministrativeUnit.objects.filter(
                    Q(current_province_id=province_id) | Q(province_id=province_id) | Q(pk=province_id)
                ):
                    memo.setdefault(unit.pk, unit)
            missing = [pk for pk in missing if pk not in memo]
            if missing:
                memo.update(AdministrativeUnit.objects.in_bulk(missing))
            for pk in missing:
                memo.setdefault(pk, None)
        return [memo[pk] for pk in pks if memo.get(pk) is not None]

    def resolve_unit(
        self, text: str, *, hint: AdministrativeUnit | None = None, on: datetime.date | None = None
    ) -> AdministrativeUnit | str:
        """A unit for a place name, or the Vietnamese reason none was found (cached per text)."""
        key = (text, hint.pk if hint is not None else None, on)
        if key not in self._place_cache:
            self._place_cache[key] = self._resolve(text, hint, on)
        return self._place_cache[key]

    def _resolve(
        self, text: str, hint: AdministrativeUnit | None, on: datetime.date | None
    ) -> AdministrativeUnit | str:
        from places.resolve import resolve_place_ids

        def resolve_place_candidates(text, province_hint=None, on=None) -> list[AdministrativeUnit]:
            return self.units_by_pk(resolve_place_ids(text, province_hint=province_hint, on=on))

        if "," in text:
            unit = self.template_place(text)
            if unit is not None:
                return unit
        candidates = []
        if on is not None and on < REFORM_DATE:
            # Before the reform the old map is meant; a name only today's map knows is still read below.
            candidates = resolve_place_candidates(text, province_hint=hint, on=on)
        candidates = candidates or resolve_place_candidates(text, province_hint=hint)
        if on is not None and len(candidates) > 1:
            dated = [c for c in candidates if c.valid_from is None or c.valid_from <= on]
            dated = [c for c in dated if c.valid_to is None or c.valid_to >= on]
            candidates = dated or candidates
        candidates = prefer_written(candidates, text, on)
        if len(candidates) == 1:
            return candidates[0]
        if not candidates:
            where = _(" trong %(province)s") % {"province": hint.full_name} if hint is not None else ""
            return _(
                "Không tìm thấy đơn vị hành chính «%(text)s»%(where)s. Hãy ghi đúng tên xã/phường, "
                "kèm huyện (tên cũ) hoặc tỉnh."
            ) % {"text": text, "where": where}
        described = AdministrativeUnit.objects.select_related("parent", "province").in_bulk(
            [c.pk for c in candidates[:6]]
        )
        names = "; ".join(describe_unit(described[c.pk]) for c in candidates[:6] if c.pk in described)
        return _(
            "«%(text)s» trùng tên nhiều đơn vị: %(names)s. Hãy chọn giá trị trong danh sách thả xuống của "
            "tệp mẫu, hoặc ghi thêm huyện (tên cũ) hoặc tỉnh."
        ) % {"text": text, "names": names}

    def actor_province(self) -> AdministrativeUnit | None:
        if not hasattr(self, "_actor_province"):
            pid = self.province_id
            self._actor_province = AdministrativeUnit.objects.filter(pk=pid).first() if pid else None
        return self._actor_province

    def out_of_scope_message(self, province: AdministrativeUnit | None) -> str:
        mine = self.actor_province()
        return _("Thuộc %(other)s, ngoài phạm vi tỉnh của bạn (%(mine)s).") % {
            "other": province.full_name if province is not None else _("tỉnh khác"),
            "mine": mine.full_name if mine is not None else "",
        }

    def district_for_commune(self, unit: AdministrativeUnit) -> str | None:
        """A warning when a district (old map) or a province stands where a commune is asked for."""
        if unit.level == AdministrativeUnit.Level.COMMUNE:
            return None
        return _(
            "«%(unit)s» là đơn vị cấp huyện/tỉnh, không phải xã/phường; cột này cần xã/phường (hoặc đặc khu)."
        ) % {"unit": unit.full_name}
