"""Writes for the places app: loading the reference lists of administrative units."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F

from .models import AdministrativeUnit
from .naming import fold_name
from .resolve import clear_place_index
from .sources import PlaceSource, UnitKey, UnitRecord, read_sources

_BATCH = 500
_DATA_FIELDS = ("name", "full_name", "name_folded", "kind", "valid_from", "valid_to")
_LINK_FIELDS = ("parent", "province", "current_province")
# Parents before children, and the new provinces before anything that rolls up into them.
_LOAD_ORDER = [("new", 1), ("new", 3), ("old", 1), ("old", 2), ("old", 3)]


@dataclass
class LoadSummary:
    counts: Counter = field(default_factory=Counter)  # (era, level) -> units in the source
    links: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    links_created: int = 0
    links_removed: int = 0
    versions: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


@transaction.atomic
def administrative_units_load(*, source: PlaceSource | None = None) -> LoadSummary:
    """Create or update every unit of both maps and the old→new links, matched on (era, level, code).

    Idempotent: a second run changes nothing. Units missing from the source are left alone (records may
    point to them); links between two units of the source that the source no longer has are removed.
    """
    source = source or read_sources()
    summary = LoadSummary(versions=dict(source.versions), warnings=list(source.warnings))

    existing: dict[UnitKey, AdministrativeUnit] = {
        (unit.era, unit.level, unit.code): unit for unit in AdministrativeUnit.objects.all()
    }
    ids: dict[UnitKey, int] = {key: unit.pk for key, unit in existing.items()}

    groups: dict[tuple[str, int], list[UnitRecord]] = {group: [] for group in _LOAD_ORDER}
    for record in source.units:
        groups[(record.era, record.level)].append(record)
        summary.counts[(record.era, record.level)] += 1

    for group in _LOAD_ORDER:
        to_create: list[AdministrativeUnit] = []
        to_update: list[AdministrativeUnit] = []
        for record in groups[group]:
            values = _values(record, ids)
            unit = existing.get(record.key)
            if unit is None:
                unit = AdministrativeUnit(era=record.era, level=record.level, code=record.code, **values)
                existing[record.key] = unit
                to_create.append(unit)
            elif _differs(unit, values):
                for name, value in values.items():
                    setattr(unit, name, value)
                to_update.append(unit)
            else:
                summary.unchanged += 1
        AdministrativeUnit.objects.bulk_create(to_create, batch_size=_BATCH)
        if any(unit.pk is None for unit in to_create):  # back-ends that do not return new keys
            created_codes = {unit.code for unit in to_create}
            for pk, code in AdministrativeUnit.objects.filter(era=group[0], level=group[1]).values_list(
                "pk", "code"
            ):
                if code in created_codes:
                    existing[(group[0], group[1], code)].pk = pk
        for unit in to_create:
            ids[(unit.era, unit.level, unit.code)] = unit.pk
        AdministrativeUnit.objects.bulk_update(to_update, [*_DATA_FIELDS, *_LINK_FIELDS], batch_size=_BATCH)
        summary.created += len(to_create)
        summary.updated += len(to_update)

    # A province is its own province and, in today's map, its own current province: set after insertion
    # because the row must exist before it can point to itself.
    provinces = AdministrativeUnit.objects.provinces()
    provinces.filter(province__isnull=True).update(province=F("pk"))
    provinces.current().filter(current_province__isnull=True).update(current_province=F("pk"))

    created, removed = _sync_successors(source, ids)
    summary.links = len(source.successors)
    summary.links_created, summary.links_removed = created, removed
    transaction.on_commit(clear_place_index)
    return summary


def _values(record: UnitRecord, ids: dict[UnitKey, int]) -> dict[str, object]:
    return {
        "name": record.name,
        "full_name": record.full_name,
        "name_folded": fold_name(record.full_name),
        "kind": record.kind,
        "valid_from": record.valid_from,
        "valid_to": record.valid_to,
        "parent_id": ids.get(record.parent) if record.parent else None,
        # A new province's reference to itself is unknown until it is inserted (filled in afterwards).
        "province_id": ids.get(record.province),
        "current_province_id": ids.get(record.current_province) if record.current_province else None,
    }


def _differs(unit: AdministrativeUnit, values: dict[str, object]) -> bool:
    return any(getattr(unit, name) != value for name, value in values.items())


def _sync_successors(source: PlaceSource, ids: dict[UnitKey, int]) -> tuple[int, int]:
    """Make the successor links between units of the source exactly those of the source."""
    Link = AdministrativeUnit.successors.through
    wanted = {(ids[old], ids[new]) for old, new in source.successors if old in ids and new in ids}
    source_ids = {ids[record.key] for record in source.units if record.key in ids}
    present: dict[tuple[int, int], int] = {
        (from_id, to_id): pk
        for pk, from_id, to_id in Link.objects.values_list(
            "pk", "from_administrativeunit_id", "to_administrativeunit_id"
        )
    }
    stale = [
        pk
        for pair, pk in present.items()
        if pair not in wanted and pair[0] in source_ids and pair[1] in source_ids
    ]
    for start in range(0, len(stale), _BATCH):
        Link.objects.filter(pk__in=stale[start : start + _BATCH]).delete()
    missing = [
        Link(from_administrativeunit_id=from_id, to_administrativeunit_id=to_id)
        for from_id, to_id in wanted
        if (from_id, to_id) not in present
    ]
    Link.objects.bulk_create(missing, batch_size=_BATCH)
    return len(missing), len(stale)
