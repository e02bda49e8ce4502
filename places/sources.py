"""Read the administrative-unit lists shipped inside the installed packages (offline, no converter calls).

- `vietnam-provinces` (2025.x), `data/nested-divisions.json`: names and GSO codes of the 34 provincial units
  and their communes since 1/7/2025.
- `vietnamadminunits`, `data/dataset.db` (table `admin_units_legacy`): the 63-province, three-level list in
  force until 30/6/2025; `data/converter_2025.json`: which old provinces and communes make up each new one.
  Its own post-reform table (`admin_units`) is used only to join its keys to the names and codes above,
  because a number of its commune codes differ from the statistics office's list.
"""

from __future__ import annotations

import datetime
import importlib.metadata
import importlib.util
import json
import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .models import LAST_DAY_BEFORE_REFORM, REFORM_DATE, AdministrativeUnit
from .naming import clean_name, match_key

Kind = AdministrativeUnit.Kind


class Era:
    # Plain values, so records and keys look exactly like the values read back from the database.
    OLD: str = AdministrativeUnit.Era.OLD.value
    NEW: str = AdministrativeUnit.Era.NEW.value


class Level:
    PROVINCE: int = AdministrativeUnit.Level.PROVINCE.value
    DISTRICT: int = AdministrativeUnit.Level.DISTRICT.value
    COMMUNE: int = AdministrativeUnit.Level.COMMUNE.value


# (era, level, code): the natural key of a unit.
UnitKey = tuple[str, int, str]

_CODE_WIDTH = {Level.PROVINCE: 2, Level.DISTRICT: 3, Level.COMMUNE: 5}

_NEW_PROVINCE_KINDS = {"tỉnh": Kind.TINH.value, "thành phố trung ương": Kind.THANH_PHO_TW.value}
_NEW_COMMUNE_KINDS = {"xã": Kind.XA.value, "phường": Kind.PHUONG.value, "đặc khu": Kind.DAC_KHU.value}
_OLD_DISTRICT_KINDS = {
    "Huyện": Kind.HUYEN.value,
    "Quận": Kind.QUAN.value,
    "Thành phố": Kind.THANH_PHO.value,
    "Thị xã": Kind.THI_XA.value,
}
_OLD_COMMUNE_KINDS = {"Xã": Kind.XA.value, "Phường": Kind.PHUONG.value, "Thị trấn": Kind.THI_TRAN.value}
_KIND_WORDS = {
    Kind.TINH.value: "Tỉnh",
    Kind.THANH_PHO_TW.value: "Thành phố",
    Kind.XA.value: "Xã",
    Kind.PHUONG.value: "Phường",
    Kind.DAC_KHU.value: "Đặc khu",
}


class PlaceSourceError(RuntimeError):
    """The package data is missing or no longer has the expected shape."""


@dataclass(frozen=True)
class UnitRecord:
    era: str
    level: int
    code: str
    name: str
    full_name: str
    kind: str
    parent: UnitKey | None
    province: UnitKey
    current_province: UnitKey | None

    @property
    def key(self) -> UnitKey:
        return (self.era, self.level, self.code)

    @property
    def valid_from(self) -> datetime.date | None:
        return REFORM_DATE if self.era == Era.NEW else None

    @property
    def valid_to(self) -> datetime.date | None:
        return LAST_DAY_BEFORE_REFORM if self.era == Era.OLD else None


@dataclass
class PlaceSource:
    units: list[UnitRecord] = field(default_factory=list)
    successors: set[tuple[UnitKey, UnitKey]] = field(default_factory=set)
    versions: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def _package_dir(package: str) -> Path:
    # find_spec does not import the package (vietnamadminunits parses its large JSON files on import).
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise PlaceSourceError(f"Package {package!r} is not installed.")
    return Path(next(iter(spec.submodule_search_locations)))


def _code(level: int, raw: str | int) -> str:
    return str(raw).strip().zfill(_CODE_WIDTH[level])


def _short(full_name: str, kind_word: str) -> str:
    """Name without its kind word, except for numbered units ("Phường 1" keeps its word)."""
    if full_name.lower().startswith(kind_word.lower() + " "):
        rest = full_name[len(kind_word) + 1 :].strip()
        if rest and not rest.isdigit():
            return rest
    return full_name


def read_sources() -> PlaceSource:
    """Read both maps and the old→new links from the installed packages."""
    source = PlaceSource()
    source.versions = {
        "vietnam-provinces": importlib.metadata.version("vietnam-provinces"),
        "vietnamadminunits": importlib.metadata.version("vietnamadminunits"),
    }
    new_ward_codes = _read_new_map(source)
    _read_old_map(source, new_ward_codes)
    return source


def _read_new_map(source: PlaceSource) -> dict[tuple[str, str], str]:
    """Add the 2025 map; return {(province code, accented match key of the name): commune code}."""
    path = _package_dir("vietnam_provinces") / "data" / "nested-divisions.json"
    try:
        provinces = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise PlaceSourceError(f"Cannot read {path.name} from vietnam-provinces: {exc}") from exc

    by_name: dict[tuple[str, str], str] = {}
    for province in provinces:
        kind = _NEW_PROVINCE_KINDS.get(province["division_type"])
        if kind is None:
            raise PlaceSourceError(f"Unknown provincial division type {province['division_type']!r}.")
        province_code = _code(Level.PROVINCE, province["code"])
        raw_name = clean_name(province["name"])
        name = _short(raw_name, _KIND_WORDS[kind])
        province_key = (Era.NEW, Level.PROVINCE, province_code)
        source.units.append(
            UnitRecord(
                era=Era.NEW,
                level=Level.PROVINCE,
                code=province_code,
                name=name,
                full_name=f"{_KIND_WORDS[kind]} {name}",
                kind=kind,
                parent=None,
                province=province_key,
                current_province=province_key,
            )
        )
        for ward in province["wards"]:
            ward_kind = _NEW_COMMUNE_KINDS.get(ward["division_type"])
            if ward_kind is None:
                raise PlaceSourceError(f"Unknown communal division type {ward['division_type']!r}.")
            code = _code(Level.COMMUNE, ward["code"])
            full_name = clean_name(ward["name"])
            source.units.append(
                UnitRecord(
                    era=Era.NEW,
                    level=Level.COMMUNE,
                    code=code,
                    name=_short(full_name, _KIND_WORDS[ward_kind]),
                    full_name=full_name,
                    kind=ward_kind,
                    parent=province_key,
                    province=province_key,
                    current_province=province_key,
                )
            )
            by_name[(province_code, _accented_key(full_name))] = code
    return by_name


# Old-style tone placement ("hoà") written the new way ("hòa") so both spellings give one key.
_TONE_PAIRS = {
    "oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
    "oè": "òe", "oé": "óe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
    "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy",
}  # fmt: skip


def _accented_key(name: str) -> str:
    """Accent-keeping key: the folded key alone would merge "Tân Thành" and "Tân Thạnh"."""
    text = " ".join(clean_name(name).lower().replace("’", "'").replace("–", "-").split())
    for old, new in _TONE_PAIRS.items():
        text = text.replace(old, new)
    return text


def _read_old_map(source: PlaceSource, new_ward_codes: dict[tuple[str, str], str]) -> None:
    """Add the pre-2025 map and the links from each old unit to the new units that took it over."""
    package = _package_dir("vietnamadminunits") / "data"
    try:
        converter = json.loads((package / "converter_2025.json").read_text(encoding="utf-8"))
        connection = sqlite3.connect(f"file:{package / 'dataset.db'}?mode=ro", uri=True)
        try:
            new_rows = connection.execute(
                "SELECT provinceKey, provinceCode, wardKey, ward FROM admin_units"
            ).fetchall()
            old_rows = connection.execute(
                "SELECT provinceKey, provinceCode, province, provinceShort, "
                "districtKey, districtCode, district, districtShort, districtType, "
                "wardKey, wardCode, ward, wardShort, wardType FROM admin_units_legacy"
            ).fetchall()
        finally:
            connection.close()
    except (OSError, ValueError, sqlite3.Error) as exc:
        raise PlaceSourceError(f"Cannot read the vietnamadminunits data files: {exc}") from exc

    new_province_codes = {key[2] for key in (unit.key for unit in source.units) if key[1] == Level.PROVINCE}
    folded_new: dict[tuple[str, str], list[str]] = defaultdict(list)
    for (province_code, accented), code in new_ward_codes.items():
        folded_new[(province_code, match_key(accented))].append(code)

    # vietnamadminunits keys of the new map -> GSO codes from vietnam-provinces.
    new_province_by_key: dict[str, str] = {}
    new_ward_by_key: dict[tuple[str, str], str] = {}
    for province_key, province_code, ward_key, ward_name in new_rows:
        province_code = _code(Level.PROVINCE, province_code)
        if province_code not in new_province_codes:
            source.warnings.append(f"Tỉnh mới mã {province_code} không có trong vietnam-provinces.")
            continue
        new_province_by_key[province_key] = province_code
        code = new_ward_codes.get((province_code, _accented_key(ward_name)))
        if code is None:
            folded = folded_new.get((province_code, match_key(ward_name)), [])
            code = folded[0] if len(folded) == 1 else None
        if code is None:
            source.warnings.append(f"Không ghép được {ward_name} (tỉnh {province_code}) với danh mục mới.")
            continue
        new_ward_by_key[(province_key, ward_key)] = code

    old_to_new_province: dict[str, str] = {}
    for new_key, old_keys in converter["DICT_PROVINCE"].items():
        for old_key in old_keys:
            if new_key in new_province_by_key:
                old_to_new_province[old_key] = new_province_by_key[new_key]

    # "province_district_ward" key of an old commune (ward part empty for island districts) -> new codes.
    old_to_new_wards: dict[str, set[str]] = defaultdict(set)
    for new_province_key, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_ward_key, old_keys in wards.items():
            code = new_ward_by_key.get((new_province_key, new_ward_key))
            if code is not None:
                for old_key in old_keys:
                    old_to_new_wards[old_key].add(code)
    for new_province_key, divided in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, new_wards in divided.items():
            for new_ward in new_wards:
                code = new_ward_by_key.get((new_province_key, new_ward["newWardKey"]))
                if code is not None:
                    old_to_new_wards[old_key].add(code)

    seen: set[UnitKey] = set()
    for row in old_rows:
        (
            province_key, province_code, province_full, province_short,
            district_key, district_code, district_full, district_short, district_type,
            ward_key, ward_code, ward_full, ward_short, ward_type,
        ) = row  # fmt: skip
        province_code = _code(Level.PROVINCE, province_code)
        old_province = (Era.OLD, Level.PROVINCE, province_code)
        new_province_code = old_to_new_province.get(province_key)
        new_province = (Era.NEW, Level.PROVINCE, new_province_code) if new_province_code else None
        if new_province is None and old_province not in seen:
            source.warnings.append(f"Không rõ {province_full} nhập vào tỉnh mới nào.")

        if old_province not in seen:
            seen.add(old_province)
            province_full = clean_name(province_full)
            source.units.append(
                UnitRecord(
                    era=Era.OLD,
                    level=Level.PROVINCE,
                    code=province_code,
                    name=clean_name(province_short),
                    full_name=province_full,
                    kind=Kind.THANH_PHO_TW.value
                    if province_full.startswith("Thành phố")
                    else Kind.TINH.value,
                    parent=None,
                    province=old_province,
                    current_province=new_province,
                )
            )
            if new_province:
                source.successors.add((old_province, new_province))

        district = (Era.OLD, Level.DISTRICT, _code(Level.DISTRICT, district_code))
        if district not in seen:
            seen.add(district)
            kind = _OLD_DISTRICT_KINDS.get(district_type)
            if kind is None:
                raise PlaceSourceError(f"Unknown district type {district_type!r} ({district_full}).")
            source.units.append(
                UnitRecord(
                    era=Era.OLD,
                    level=Level.DISTRICT,
                    code=district[2],
                    name=clean_name(district_short),
                    full_name=clean_name(district_full),
                    kind=kind,
                    parent=old_province,
                    province=old_province,
                    current_province=new_province,
                )
            )

        # A district's successors are the new communes that took over its communes (or, for an island
        # district without communes, the special zone that replaced it).
        new_codes = old_to_new_wards.get(f"{province_key}_{district_key}_{ward_key or ''}", set())
        for new_code in new_codes:
            source.successors.add((district, (Era.NEW, Level.COMMUNE, new_code)))

        if not ward_code:
            continue
        commune = (Era.OLD, Level.COMMUNE, _code(Level.COMMUNE, ward_code))
        if commune in seen:
            continue
        seen.add(commune)
        kind = _OLD_COMMUNE_KINDS.get(ward_type)
        if kind is None:
            raise PlaceSourceError(f"Unknown commune type {ward_type!r} ({ward_full}).")
        source.units.append(
            UnitRecord(
                era=Era.OLD,
                level=Level.COMMUNE,
                code=commune[2],
                name=clean_name(ward_short),
                full_name=clean_name(ward_full),
                kind=kind,
                parent=district,
                province=old_province,
                current_province=new_province,
            )
        )
        if not new_codes:
            source.warnings.append(f"Không rõ {ward_full}, {district_full} nhập vào xã/phường mới nào.")
        for new_code in new_codes:
            source.successors.add((commune, (Era.NEW, Level.COMMUNE, new_code)))
