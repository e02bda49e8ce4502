"""Reads about needs: the establishments already recorded that a need may be the same as."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from beneficiaries.models import Beneficiary
from khuyencong.vn_text import fold_accents

from .models import Need


def matching_beneficiaries(need: Need, user) -> QuerySet[Beneficiary]:
    """Recorded establishments of the need's province that may be the registrant: the same tax code if the
    need gives one; otherwise the same name (accents and case ignored) in the same commune."""
    scope = (
        Beneficiary.objects.visible_to(user)
        .filter(province=need.province)
        .select_related("kind", "current_unit")
    )
    if need.tax_code:
        same_code = scope.filter(tax_code=need.tax_code)
        if same_code.exists():
            return same_code
    folded = fold_accents(need.name)
    place = Q(current_unit=need.current_unit) if need.current_unit_id else Q(unit_at_time=need.unit_at_time)
    return scope.filter(place).filter(Q(search_text=folded) | Q(search_text__startswith=f"{folded} "))
