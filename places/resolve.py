"""Map free-text place names ("xã Trường Thắng, huyện Thới Lai, Cần Thơ") to administrative units.

The text is read the Vietnamese way, smallest unit first: the first part that names a unit is the answer,
and the parts after it (and `province_hint`) only narrow it down. Matching is accent-insensitive and
ignores kind words (TP., tỉnh, huyện, xã...), which only serve to prefer units of that kind. All names
live in an in-memory index built with two queries and rebuilt when the table changes. Outside
`pinned_index()` every lookup first checks (one COUNT/MAX query) that the table did not change; inside it
(an import of thousands of rows), the check is made once when the block starts.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime
import re
import threading
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Count, Max

from .models import AdministrativeUnit
from .naming import fold_name, match_key, strip_official_prefix

Kind = AdministrativeUnit.Kind
NEW = AdministrativeUnit.Era.NEW.value

_CITY = frozenset({Kind.THANH_PHO_TW.value, Kind.THANH_PHO.value})
# Kind words people write before a name (folded), longest first, and the kinds each can mean.
_WRITTEN_PREFIXES: tuple[tuple[str, frozenset[str]], ...] = (
    ("thanh pho", _CITY),
    ("thi tran", frozenset({Kind.THI_TRAN.value})),
    ("dac khu", frozenset({Kind.DAC_KHU.value})),
    ("phuong", frozenset({Kind.PHUONG.value})),
    ("thi xa", frozenset({Kind.THI_XA.value})),
    ("huyen", frozenset({Kind.HUYEN.value})),
    ("quan", frozenset({Kind.QUAN.value})),
    ("tinh", frozenset({Kind.TINH.value})),
    ("t.p.", _CITY),
    ("t.p", _CITY),
    ("tp.", _CITY),
    ("tp", _CITY),
    ("tx.", frozenset({Kind.THI_XA.value})),
    ("tx", frozenset({Kind.THI_XA.value})),
    ("tt.", frozenset({Kind.THI_TRAN.value})),
    ("tt", frozenset({Kind.THI_TRAN.value})),
    ("xa", frozenset({Kind.XA.value})),
    ("h.", frozenset({Kind.HUYEN.value})),
    ("q.", frozenset({Kind.QUAN.value})),
    ("p.", frozenset({Kind.PHUONG.value})),
    ("x.", frozenset({Kind.XA.value})),
)
# Common short forms of names, as matching keys.
_ALIASES = {"hn": "ha noi", "hcm": "ho chi minh", "tphcm": "ho chi minh", "tp hcm": "ho chi minh"}
# Extra names of particular units: (era, level, code) -> matching keys.
_EXTRA_KEYS = {("old", 1, "46"): ("thua thien hue",)}

# Words that start a new part when a piece runs several names together ("xã A huyện B").
_SPLIT_WORDS = frozenset({"tp", "tinh", "huyen", "quan", "thi", "xa", "phuong", "tt", "tx"})
_PART_SEPARATORS = re.compile(r"[,;()\[\]\n/]+")


@dataclass(frozen=True, slots=True)
class _Entry:
    level: int
    era: str
    kind: str
    valid_from: datetime.date | None
    valid_to: datetime.date | None
    context: frozenset[int]  # itself, its ancestors and today's province: what a higher-level name may be
    today: int | None
    continued_by: frozenset[int]  # new units that took it over
    successors: frozenset[int]  # the units it was merged into (its `successors`)
    today_province: int | None  # its `today_province()`
    full_name: str
    province: int | None  # its `province_id`

    def valid_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or self.valid_to >= day
        )


@dataclass(frozen=True)
class _Part:
    key: str
    kinds: frozenset[str] | None  # kinds named by a written prefix
    whole: str  # the key before the prefix was taken off


class PlaceIndex:
    def __init__(
        self, entries: dict[int, _Entry], by_key: dict[str, tuple[int, ...]], signature: tuple
    ) -> None:
        self.entries = entries
        self.by_key = by_key
        self.signature = signature

    @classmethod
    def build(cls, signature: tuple) -> PlaceIndex:
        rows = list(
            AdministrativeUnit.objects.order_by().values(
                "pk", "era", "level", "code", "kind", "full_name", "name",
                "valid_from", "valid_to", "parent_id", "province_id", "current_province_id",
            )
        )  # fmt: skip
        parents = {row["pk"]: row["parent_id"] for row in rows}
        successors: dict[int, set[int]] = defaultdict(set)
        link_model = AdministrativeUnit.successors.through
        for from_id, to_id in link_model.objects.values_list(
            "from_administrativeunit_id", "to_administrativeunit_id"
        ):
            successors[from_id].add(to_id)

        entries: dict[int, _Entry] = {}
        by_key: dict[str, list[int]] = defaultdict(list)
        for row in rows:
            pk, era, level = row["pk"], row["era"], row["level"]
            province_id, current_id = row["province_id"], row["current_province_id"]
            context = {pk}
            ancestor, depth = row["parent_id"], 0
            while (
                ancestor is not None and depth < 5
            ):  # the depth guard only protects against hand-made cycles
                context.add(ancestor)
                ancestor, depth = parents.get(ancestor), depth + 1
            if province_id is not None:
                context.add(province_id)
            today = current_id if current_id is not None else (province_id if era == NEW else None)
            if today is not None:
                context.add(today)
            continued = set(successors.get(pk, ()))
            own_successors = frozenset(continued)
            if current_id is not None:
                today_province = current_id
            elif era == NEW:
                today_province = pk if level == AdministrativeUnit.Level.PROVINCE else province_id
            else:
                today_province = None
            if era != NEW and current_id is not None and level == AdministrativeUnit.Level.PROVINCE:
                continued.add(current_id)
            entries[pk] = _Entry(
                level=level,
                era=era,
                kind=row["kind"],
                valid_from=row["valid_from"],
                valid_to=row["valid_to"],
                context=frozenset(context),
                today=today,
                continued_by=frozenset(continued),
                successors=own_successors,
                today_province=today_province,
                full_name=row["full_name"],
                province=province_id,
            )
            keys = {strip_official_prefix(match_key(row["full_name"])), match_key(row["name"])}
            keys.update(_EXTRA_KEYS.get((era, level, row["code"]), ()))
            for key in keys:
                if key:
                    by_key[key].append(pk)
        return cls(entries, {key: tuple(pks) for key, pks in by_key.items()}, signature)

    def lookup(self, part: _Part) -> set[int]:
        """Units a part may name; a written kind word keeps units of that kind when there are any."""
        found = set(self.by_key.get(_ALIASES.get(part.key, part.key), ()))
        if part.kinds is not None and found:
            of_kind = {pk for pk in found if self.entries[pk].kind in part.kinds}
            found = of_kind or found
        if part.whole != part.key:
            # "Tịnh Biên" folds to "tinh bien": also try the text as a plain name.
            found |= set(self.by_key.get(part.whole, ()))
        return found


_lock = threading.Lock()
_index: PlaceIndex | None = None


def clear_place_index() -> None:
    """Forget the cached index (called after loading or editing units)."""
    global _index
    with _lock:
        _index = None


_pinned: contextvars.ContextVar[PlaceIndex | None] = contextvars.ContextVar(
    "pinned_place_index", default=None
)


@contextlib.contextmanager
def pinned_index() -> Iterator[None]:
    """Inside the block, every lookup uses the index as it was (checked, or rebuilt) when the block began:
    one validity query for a whole import instead of one per place name. For work that does not change
    administrative units itself."""
    token = _pinned.set(_pinned.get() or _current_index())
    try:
        yield
    finally:
        _pinned.reset(token)


def _current_index() -> PlaceIndex:
    global _index
    pinned = _pinned.get()
    if pinned is not None:
        return pinned
    stats = AdministrativeUnit.objects.order_by().aggregate(count=Count("pk"), last=Max("pk"))
    signature = (stats["count"], stats["last"])
    with _lock:
        if _index is None or _index.signature != signature:
            _index = PlaceIndex.build(signature)
        return _index


def _split(text: str) -> list[str]:
    return [piece.strip() for piece in _PART_SEPARATORS.split(text or "") if piece.strip()]


def _parse(piece: str) -> _Part:
    folded = fold_name(piece)
    kinds = None
    rest = folded
    for prefix, prefix_kinds in _WRITTEN_PREFIXES:
        if folded.startswith(prefix):
            after = folded[len(prefix) :]
            # A word prefix needs a space after it; a dotted abbreviation may run on ("TP.HCM", "P.5").
            if after.startswith(" ") or (prefix.endswith(".") and after):
                kinds, rest = prefix_kinds, after
                break
    return _Part(key=match_key(rest), kinds=kinds, whole=match_key(folded))


def _sub_pieces(piece: str) -> list[str]:
    """Split a piece that names nothing: at dashes, then before kind words ("xã A huyện B")."""
    by_dash = [p.strip() for p in re.split(r"\s+[-–]\s+", piece) if p.strip()]
    if len(by_dash) > 1:
        return by_dash
    words = piece.split()
    starts = [i for i, word in enumerate(words) if i > 0 and fold_name(word).rstrip(".") in _SPLIT_WORDS]
    if not starts:
        return [piece]
    pieces, begin = [], 0
    for start in starts:
        pieces.append(" ".join(words[begin:start]))
        begin = start
    pieces.append(" ".join(words[begin:]))
    return [p for p in pieces if p]


def _narrow(index: PlaceIndex, candidates: set[int], context: set[int]) -> set[int]:
    """Keep candidates inside one of the `context` units; failing that, those of the same province today."""
    inside = {pk for pk in candidates if index.entries[pk].context & context}
    if inside:
        return inside
    todays = {index.entries[pk].today for pk in context} - {None}
    return {pk for pk in candidates if index.entries[pk].today in todays}


def _prefer(index: PlaceIndex, candidates: set[int], on: datetime.date | None) -> set[int]:
    # The larger unit wins among equal names ("Thới Lai" is the district, not its seat town).
    top = min(index.entries[pk].level for pk in candidates)
    candidates = {pk for pk in candidates if index.entries[pk].level == top}
    if on is None:
        new = {pk for pk in candidates if index.entries[pk].era == NEW}
        old = candidates - new
        # Without a date, a name that survived the reform means today's unit ("TP. Hải Phòng").
        if new and old and all(index.entries[pk].continued_by & new for pk in old):
            candidates = new
    return candidates


def _resolve_ids(text: str, province_hint: AdministrativeUnit | None, on: datetime.date | None) -> list[int]:
    index = _current_index()
    pieces: list[str] = []
    for piece in _split(text):
        if index.lookup(_parse(piece)):
            pieces.append(piece)
        else:
            pieces.extend(_sub_pieces(piece))
    found = [index.lookup(_parse(piece)) for piece in pieces]
    hint = {province_hint.pk} if province_hint is not None and province_hint.pk in index.entries else None

    for position, candidates in enumerate(found):
        for context in [c for c in found[position + 1 :] if c] + ([hint] if hint else []):
            candidates = _narrow(index, candidates, context)
            if not candidates:
                break
        if not candidates:
            continue  # not a unit of this place (a street or hamlet with a unit's name): read on
        if on is not None:
            # The text names a unit, but not one in force on that date: say so rather than guess.
            candidates = {pk for pk in candidates if index.entries[pk].valid_on(on)}
            if not candidates:
                return []
        chosen = _prefer(index, candidates, on)
        return sorted(chosen, key=lambda pk: (index.entries[pk].era != NEW, index.entries[pk].level, pk))
    return []


def today_of(unit: AdministrativeUnit) -> tuple[int | None, int | None]:
    """(today's unit, today's province) of `unit`, from the index: the unit itself when it is of today's
    map, else its one successor (None with none or several); and the id of `unit.today_province()`."""
    entry = _current_index().entries.get(unit.pk)
    if entry is None:  # a unit newer than the index (pinned): ask the database
        province = unit.today_province()
        if unit.era == AdministrativeUnit.Era.NEW:
            current = unit.pk
        else:
            successors = list(unit.successors.values_list("pk", flat=True)[:2])
            current = successors[0] if len(successors) == 1 else None
        return current, province.pk if province is not None else None
    if entry.era == NEW:
        current = unit.pk
    else:
        current = next(iter(entry.successors)) if len(entry.successors) == 1 else None
    return current, entry.today_province


def current_communes() -> list[tuple[int, str, str]]:
    """(id, full name, its province's full name) of every commune of today's map that has a province."""
    entries = _current_index().entries
    return [
        (pk, entry.full_name, entries[entry.province].full_name)
        for pk, entry in entries.items()
        if entry.era == NEW and entry.level == AdministrativeUnit.Level.COMMUNE and entry.province in entries
    ]


def today_province_id(unit_id: int) -> int | None:
    """The id of the unit's `today_province()` read from the index (None for a unit it does not know)."""
    entry = _current_index().entries.get(unit_id)
    return entry.today_province if entry is not None else None


def resolve_place_ids(
    text: str, *, province_hint: AdministrativeUnit | None = None, on: datetime.date | None = None
) -> list[int]:
    """The ids of `resolve_place_candidates`, in its order, without loading the units."""
    return _resolve_ids(text, province_hint, on)


def resolve_place_candidates(
    text: str, *, province_hint: AdministrativeUnit | None = None, on: datetime.date | None = None
) -> list[AdministrativeUnit]:
    """Every unit `text` may name after narrowing (empty if none); more than one means it is ambiguous."""
    pks = _resolve_ids(text, province_hint, on)
    if not pks:
        return []
    units = AdministrativeUnit.objects.in_bulk(pks)
    return [units[pk] for pk in pks if pk in units]


def resolve_place(
    text: str, *, province_hint: AdministrativeUnit | None = None, on: datetime.date | None = None
) -> AdministrativeUnit | None:
    """The single unit `text` names, or None when it names none or several (see `resolve_place_candidates`).

    `province_hint` narrows like a trailing province name; `on` keeps only units valid on that date.
    """
    candidates = resolve_place_candidates(text, province_hint=province_hint, on=on)
    return candidates[0] if len(candidates) == 1 else None
