"""The portal's form renderer writes exactly what Django's form templates write, for every kind of field the
portal shows (blank, filled, with errors, with help), and the template files it stands in for are still the
ones it was written from. The portal's own forms: tests/projects/test_form_rendering.py."""

import datetime
from pathlib import Path

import django
import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.http import QueryDict
from django.utils.safestring import mark_safe

from khuyencong.date_input import VNDateField, VNMonthField
from khuyencong.form_renderer import INPUT_TEMPLATES, WRITTEN, PortalFormRenderer
from projects.forms.fields import MoneyField

TEMPLATES = Path(django.__file__).parent / "forms" / "templates"

# Django's templates as the Python functions were written from (Django 5.2).
COPIED = {
    "django/forms/widgets/input.html": '<input type="{{ widget.type }}" name="{{ widget.name }}"{% if widget.value '
    "!= None %} value=\"{{ widget.value|stringformat:'s' }}\"{% endif %}{% include "
    '"django/forms/widgets/attrs.html" %}>\n',
    "django/forms/widgets/attrs.html": "{% for name, value in widget.attrs.items %}{% if value is not False %} "
    "{{ name }}{% if value is not True %}=\"{{ value|stringformat:'s' }}\"{% endif %}{% endif %}{% endfor %}",
    "django/forms/attrs.html": "{% for name, value in attrs.items %}{% if value is not False %} {{ name }}"
    "{% if value is not True %}=\"{{ value|stringformat:'s' }}\"{% endif %}{% endif %}{% endfor %}",
    "django/forms/widgets/textarea.html": '<textarea name="{{ widget.name }}"{% include '
    '"django/forms/widgets/attrs.html" %}>\n{% if widget.value %}{{ widget.value }}{% endif %}</textarea>\n',
    "django/forms/widgets/select.html": '<select name="{{ widget.name }}"{% include "django/forms/widgets/attrs.html"'
    " %}>{% for group_name, group_choices, group_index in widget.optgroups %}{% if group_name %}\n"
    '  <optgroup label="{{ group_name }}">{% endif %}{% for option in group_choices %}\n'
    "  {% include option.template_name with widget=option %}{% endfor %}{% if group_name %}\n"
    "  </optgroup>{% endif %}{% endfor %}\n</select>\n",
    "django/forms/widgets/select_option.html": "<option value=\"{{ widget.value|stringformat:'s' }}\"{% include "
    '"django/forms/widgets/attrs.html" %}>{{ widget.label }}</option>\n',
    "django/forms/label.html": "{% if use_tag %}<{{ tag }}{% include 'django/forms/attrs.html' %}>{{ label }}"
    "</{{ tag }}>{% else %}{{ label }}{% endif %}\n",
    "django/forms/errors/list/default.html": '{% include "django/forms/errors/list/ul.html" %}',
    "django/forms/errors/list/ul.html": '{% if errors %}<ul class="{{ error_class }}"{% if errors.field_id %} '
    'id="{{ errors.field_id }}_error"{% endif %}>{% for error in errors %}<li>{{ error }}</li>{% endfor %}</ul>'
    "{% endif %}",
    "django/forms/field.html": "{% if field.use_fieldset %}\n"
    '  <fieldset{% if field.aria_describedby %} aria-describedby="{{ field.aria_describedby }}"{% endif %}>\n'
    "  {% if field.label %}{{ field.legend_tag }}{% endif %}\n"
    "{% else %}\n"
    "  {% if field.label %}{{ field.label_tag }}{% endif %}\n"
    "{% endif %}\n"
    '{% if field.help_text %}<div class="helptext"{% if field.auto_id %} id="{{ field.auto_id }}_helptext"'
    "{% endif %}>{{ field.help_text|safe }}</div>{% endif %}\n"
    "{{ field.errors }}\n"
    "{{ field }}{% if field.use_fieldset %}</fieldset>{% endif %}\n",
}


@pytest.mark.parametrize("name", sorted(COPIED))
def test_djangos_templates_are_still_the_ones_written_in_python(name):
    assert (TEMPLATES / name).read_text(encoding="utf-8") == COPIED[name]


@pytest.mark.parametrize("name", [n for n in INPUT_TEMPLATES if not n.endswith("/input.html")])
def test_the_input_templates_still_only_include_the_input_template(name):
    text = (TEMPLATES / name).read_text(encoding="utf-8")
    assert text.strip() == '{% include "django/forms/widgets/input.html" %}'


def test_every_template_written_in_python_is_checked_against_djangos():
    assert set(WRITTEN) <= set(COPIED) | set(INPUT_TEMPLATES)


def fields_of(form) -> list[str]:
    """Everything the pages print of a form: each field as a group, alone, its label and its errors."""
    out = [str(form.non_field_errors())]
    for field in form:
        out += [field.as_field_group(), str(field), field.label_tag(), str(field.errors), field.as_hidden()]
    return out


def both(make) -> tuple[list[str], list[str]]:
    return fields_of(make(DjangoTemplates())), fields_of(make(PortalFormRenderer()))


class EveryKind(forms.Form):
    text = forms.CharField(label="Tên <cơ sở> & số", max_length=20, help_text="Gợi ý <b>đậm</b>")
    optional = forms.CharField(required=False, widget=forms.TextInput(attrs={"placeholder": 'a "b" <c>'}))
    number = forms.IntegerField(min_value=0, max_value=100, initial=7)
    money = MoneyField(label="Số tiền")
    day = VNDateField(initial=datetime.date(2025, 12, 31))
    month = VNMonthField(required=False)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2, "data-x": 0, "hidden": False}))
    choice = forms.ChoiceField(choices=[("", "— Chọn —"), ("a", "Một & hai"), (2025, 2025)])
    grouped = forms.ChoiceField(choices=[("Nhóm <1>", [("x", "X"), ("y", "Y")]), ("z", "Z")], required=False)
    several = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B")], required=False)
    radio = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect, required=False)
    ticks = forms.MultipleChoiceField(
        choices=[("a", "A"), ("b", "B")], widget=forms.CheckboxSelectMultiple, required=False
    )
    agree = forms.BooleanField(required=False, label=mark_safe("Tôi <em>đồng ý</em>"))
    upload = forms.FileField(required=False)
    secret = forms.CharField(widget=forms.HiddenInput, required=False)
    nobody = forms.CharField(label="", required=False)

    def clean(self):
        raise forms.ValidationError(["Lỗi chung <1>", "Lỗi chung 2"])


@pytest.mark.parametrize(
    "data",
    [
        None,
        {},
        {
            "text": "x" * 30,
            "number": "-1",
            "money": "1.000.000",
            "day": "31/02/2025",
            "note": "<b>ba\ndòng</b>",
            "choice": "2025",
            "grouped": "y",
            "several": ["a", "b"],
            "radio": "b",
            "ticks": ["b"],
            "agree": "on",
            "secret": '"',
        },  # fmt: skip
    ],
)
@pytest.mark.parametrize("auto_id", ["id_%s", "", "f-%s"])
def test_every_kind_of_field_is_written_the_same(data, auto_id):
    if isinstance(data, dict):
        query = QueryDict(mutable=True)
        for key, value in data.items():
            query.setlist(key, value if isinstance(value, list) else [value])
        data = query
    theirs, ours = both(lambda renderer: EveryKind(data, auto_id=auto_id, renderer=renderer))
    assert ours == theirs
