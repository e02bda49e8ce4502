"""A drop-down written in Python, for pages that show many of them (the đề án entry page, the filter forms
of the lists)."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe


class ListSelect(forms.Select):
    """The HTML of Django's Select (attributes, the first matching option selected), without a template
    rendered per option. The entry page of a đề án with 18 estimate lines shows 40 drop-downs; their
    option templates were a third of the page's time. Grouped choices go through Django's own rendering."""

    def render(self, name, value, attrs=None, renderer=None):
        choices = [choice for choice in self.choices]  # noqa: C416 (list() would count the rows first)
        if any(isinstance(label, (list, tuple)) for _value, label in choices):
            return super().render(name, value, attrs, renderer)
        wanted = {str(v) for v in self.format_value(value)}
        rows, chosen = [], False
        for option, label in choices:
            option = "" if option is None else str(option)
            selected = not chosen and option in wanted
            chosen = chosen or selected
            # format_html_join's escaping, without a format_html call per option (a plan drop-down has dozens)
            rows.append(
                f'<option value="{conditional_escape(option)}"{" selected" if selected else ""}>'
                f"{conditional_escape(label)}</option>"
            )
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(self.build_attrs(self.attrs, attrs)),
            mark_safe("".join(rows)),
        )
