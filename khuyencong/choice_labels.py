"""The label of a choice field's value (`get_status_display()` and the like), read from a table made once per
field."""

from functools import cache

from django.db import models
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable


@cache
def _labels(field) -> dict:
    return {make_hashable(value): label for value, label in field.flatchoices}


class ChoiceLabels(models.Model):
    """Django's own `get_FOO_display()` builds a dictionary of every choice of the field on each call, and
    hashing each translated label translates it: a list of 25 đề án translated 375 labels to show 25. Here
    the table is built once per field (fields whose choices are computed keep Django's way); its labels stay
    lazy and are translated when shown, in the language of the request."""

    class Meta:
        abstract = True

    def _get_FIELD_display(self, field):
        if not isinstance(field.choices, list | tuple):
            return super()._get_FIELD_display(field)
        value = getattr(self, field.attname)
        return force_str(_labels(field).get(make_hashable(value), value), strings_only=True)
