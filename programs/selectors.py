"""Which plans carry out a programme.

`programme_plans` is the one set of plans a programme covers: the programme page and the programme report
(PDF and Excel) both read through it, so they count the same đề án and the same money. The reads that join
the đề án of those plans live above, in projects.programme_progress.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from .models import AnnualPlan, Programme


def programme_plans(programme: Programme) -> QuerySet[AnnualPlan]:
    """The annual plans that carry out a programme: those linked to it, and those of its province (or, for
    a national programme, of every province) in its years and of its level that name no programme, since a
    year's plan implements the programme in force for that year."""
    kind = AnnualPlan.Kind.NATIONAL if programme.level == Programme.Level.NATIONAL else AnnualPlan.Kind.LOCAL
    unlinked = Q(
        programme__isnull=True,
        kind=kind,
        year__gte=programme.start_year,
        year__lte=programme.end_year,
    )
    if programme.province_id:
        today = programme.province.today_province()
        unlinked &= Q(province__current_province=today)
    return AnnualPlan.objects.filter(Q(programme=programme) | unlinked)


def plan_belongs(programme: Programme, *, programme_id, kind: str, year: int, province_id) -> bool:
    """The same rule as programme_plans, for one plan's fields (dashboards match in Python, one query)."""
    if programme_id is not None:
        return programme_id == programme.pk
    level_kind = (
        AnnualPlan.Kind.NATIONAL if programme.level == Programme.Level.NATIONAL else AnnualPlan.Kind.LOCAL
    )
    if kind != level_kind or not programme.start_year <= year <= programme.end_year:
        return False
    return programme.province_id is None or province_id == programme.province.current_province_id
