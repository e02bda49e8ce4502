"""The form renderer of the portal: Django's own, with its most used templates written in Python.

A field shown with `{{ field.as_field_group }}` goes through five to seven small templates (the field, its
label, the label's attributes, its error list, the widget and the widget's attributes, and one more per
option of a drop-down); on the đề án page, with its step forms, that was a fifth of the processor time of
the page. The functions below write exactly what those templates write (tests/khuyencong/
test_form_renderer.py renders the portal's forms both ways and compares, and checks that Django's template
files are still the ones copied here); any other template, or a project's own, goes through the templates.
"""

from __future__ import annotations

from collections.abc import Callable

from django.forms.renderers import DjangoTemplates
from django.template.base import render_value_in_context
from django.utils.safestring import SafeData, SafeString, mark_safe


class _Context:
    """What a template's context brings to the writing of a value: Django's defaults for a form template."""

    autoescape = True
    use_l10n = None
    use_tz = None


_CONTEXT = _Context()


def _out(value) -> str:
    """`{{ value }}`: localized, escaped unless safe."""
    return render_value_in_context(value, _CONTEXT)


def _as_string(value) -> str:
    """`{{ value|stringformat:'s' }}`."""
    if isinstance(value, tuple):
        value = str(value)
    try:
        text = "%s" % value  # noqa: UP031 — the filter's own formatting
    except (ValueError, TypeError):
        return ""
    return _out(mark_safe(text) if isinstance(value, SafeData) else text)


def _attrs(attrs: dict | None) -> str:
    """django/forms/attrs.html and django/forms/widgets/attrs.html (no attributes: none written)."""
    parts = []
    for name, value in (attrs or {}).items():
        if value is not False:
            parts.append(" " + _out(name))
            if value is not True:
                parts.append('="' + _as_string(value) + '"')
    return "".join(parts)


def _input(context: dict) -> str:
    widget = context["widget"]
    value = widget["value"]
    shown = ' value="' + _as_string(value) + '"' if value != None else ""  # noqa: E711 — the template's test
    return (
        '<input type="'
        + _out(widget["type"])
        + '" name="'
        + _out(widget["name"])
        + '"'
        + shown
        + _attrs(widget["attrs"])
        + ">"
    )


def _textarea(context: dict) -> str:
    widget = context["widget"]
    value = _out(widget["value"]) if widget["value"] else ""
    return (
        '<textarea name="'
        + _out(widget["name"])
        + '"'
        + _attrs(widget["attrs"])
        + ">\n"
        + value
        + "</textarea>"
    )


_OPTION = "django/forms/widgets/select_option.html"


def _select(context: dict) -> str | None:
    widget = context["widget"]
    parts = ['<select name="', _out(widget["name"]), '"', _attrs(widget["attrs"]), ">"]
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append('\n  <optgroup label="' + _out(group_name) + '">')
        for option in group_choices:
            if option["template_name"] != _OPTION:
                return None
            parts.append(
                '\n  <option value="'
                + _as_string(option["value"])
                + '"'
                + _attrs(option["attrs"])
                + ">"
                + _out(option["label"])
                + "</option>\n"  # the option template's own last line break
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _label(context: dict) -> str:
    if not context["use_tag"]:
        return _out(context["label"])
    tag = _out(context["tag"])
    return "<" + tag + _attrs(context["attrs"]) + ">" + _out(context["label"]) + "</" + tag + ">"


def _errors(context: dict) -> str:
    errors = context["errors"]
    if not errors:
        return ""
    field_id = errors.field_id
    return (
        '<ul class="'
        + _out(context["error_class"])
        + '"'
        + (' id="' + _out(field_id) + '_error"' if field_id else "")
        + ">"
        + "".join("<li>" + _out(error) + "</li>" for error in errors)
        + "</ul>"
    )


def _field(context: dict) -> str:
    field = context["field"]
    if field.use_fieldset:
        described = field.aria_describedby
        head = (
            "<fieldset"
            + (' aria-describedby="' + _out(described) + '"' if described else "")
            + ">\n  "
            + (_out(field.legend_tag()) if field.label else "")
        )
    else:
        head = _out(field.label_tag()) if field.label else ""
    help_text = ""
    if field.help_text:
        auto_id = field.auto_id
        help_text = (
            '<div class="helptext"'
            + (' id="' + _out(auto_id) + '_helptext"' if auto_id else "")
            + ">"
            + _out(mark_safe(field.help_text))
            + "</div>"
        )
    text = (
        head
        + "\n\n"
        + help_text
        + "\n"
        + _out(field.errors)
        + "\n"
        + _out(field)
        + ("</fieldset>" if field.use_fieldset else "")
    )
    return text.strip()


# Django's templates that only include the input template (tests check the files still say so).
INPUT_TEMPLATES = tuple(
    f"django/forms/widgets/{name}.html"
    for name in (
        "input",
        "checkbox",
        "color",
        "date",
        "datetime",
        "email",
        "file",
        "hidden",
        "number",
        "password",
        "search",
        "tel",
        "text",
        "time",
        "url",
    )
)

WRITTEN: dict[str, Callable[[dict], str | None]] = {
    **dict.fromkeys(INPUT_TEMPLATES, _input),
    "django/forms/widgets/textarea.html": _textarea,
    "django/forms/widgets/select.html": _select,
    "django/forms/label.html": _label,
    "django/forms/errors/list/default.html": _errors,
    "django/forms/errors/list/ul.html": _errors,
    "django/forms/field.html": _field,
}


class PortalFormRenderer(DjangoTemplates):
    """Django's renderer (the same templates and template directories), the templates of WRITTEN in Python."""

    def render(self, template_name, context, request=None):
        write = WRITTEN.get(template_name)
        if write is not None and request is None:
            text = write(context)
            if text is not None:
                return SafeString(text.strip())
        return super().render(template_name, context, request=request)
