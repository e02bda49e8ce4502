"""Column headers that sort a list (FilteredListView): a click sorts by the column, a second click reverses."""

from django import template
from django.utils.html import format_html

register = template.Library()

_ARROWS = {"ascending": "▲", "descending": "▼"}


@register.simple_tag(takes_context=True)
def sort_header(context, label, column: str, css: str = ""):
    """<th> for `column`, whose sort keys in the view's sort_options are `column` and/or `-column`.

    The first of the two the view lists is the column's first click (money and years: largest or newest
    first); on the sorted column the header offers the other direction and says which is current
    (aria-sort, an arrow). A column with no sort key is a plain header.
    """
    keys = [key for key, _label in context.get("sort_choices", ()) if key.lstrip("-") == column]
    css_attr = format_html(' class="{}"', css) if css else ""
    if not keys:
        return format_html('<th scope="col"{}>{}</th>', css_attr, label)
    current = context.get("sort_key", "")
    state = "none"
    target = keys[0]
    if current in keys:
        state = "descending" if current.startswith("-") else "ascending"
        others = [key for key in keys if key != current]
        target = others[0] if others else current
    query = context.get("sort_query_string", "")
    href = f"?{query}&sort={target}" if query else f"?sort={target}"
    arrow = _ARROWS.get(state, "")
    return format_html(
        '<th scope="col"{}{}><a class="sort" href="{}">{}{}</a></th>',
        css_attr,
        format_html(' aria-sort="{}"', state) if state != "none" else "",
        href,
        label,
        format_html(' <span aria-hidden="true">{}</span>', arrow) if arrow else "",
    )
