"""The staff actions and the budget by source and year of a programme, for the programme pages (which
load this library so that the programmes app itself need not know about staff entry)."""

from django import template

from ..programmes import can_approve_programme, can_edit_programme

register = template.Library()


@register.inclusion_tag("planning/programme_actions.html", takes_context=True)
def programme_actions(context, programme=None):
    user = context["request"].user
    rows: dict[int, dict] = {}
    sources = []
    if programme is not None:
        for budget in programme.year_budgets.select_related("source"):
            if budget.source not in sources:
                sources.append(budget.source)
            rows.setdefault(budget.year, {})[budget.source.pk] = budget.amount
    return {
        "programme": programme,
        "approval": getattr(programme, "approval", None) if programme is not None else None,
        "can_create": programme is None and can_edit_programme(user, None),
        "can_edit": programme is not None and can_edit_programme(user, programme),
        "can_approve": programme is not None and can_approve_programme(user, programme),
        "budget_sources": sources,
        "budget_rows": [
            (year, [amounts.get(s.pk, 0) for s in sources], sum(amounts.values()))
            for year, amounts in sorted(rows.items())
        ],
    }
