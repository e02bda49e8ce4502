"""The base of every import: template rows skipped, headers matched loosely, one clean per cell, errors keyed
by the Vietnamese column name, unchanged rows detected, duplicates within the file refused, and the
actor's province enforced.

Subclasses declare import-export `Field`s with a Vietnamese `column_name` and one of our widgets, then
implement `find_existing`, `check_row` and (optionally) `prepare`.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import connection, models
from django.utils.translation import gettext as _
from import_export import resources, widgets
from import_export.fields import Field
from import_export.results import Result

from accounts.scoping import sees_all_provinces, user_province_id
from jobs import progress
from khuyencong.vn_text import fold_accents
from places.models import AdministrativeUnit

from ..audit import is_audited, log_bulk_changes
from ..reading import header_key
from ..widgets import LookupWidget, clean_text
from .bulk_sql import insert_rows, insert_rows_with_ids, update_rows
from .places import PlaceResolving
from .preview import PreviewCollecting

_UNSET = object()
_MISS = object()
# Cleaned values remembered per column (kinds, places, "Có"/"Không", repeated trades): at most this many.
MEMO_LIMIT = 5_000


class _Refused:
    """A cell value a widget refused, remembered with its message."""

    __slots__ = ("message",)

    def __init__(self, message: str) -> None:
        self.message = message


class Column(Field):
    """A column of an import file: its Vietnamese header, its note for the template, and its example."""

    def __init__(
        self,
        *,
        attribute: str | None,
        column_name: str,
        widget: widgets.Widget,
        note: str = "",
        example: Any = None,
        required: bool = False,
        choices: Iterable[str] | None = None,
        width: int = 18,
        places: bool = False,
    ) -> None:
        super().__init__(attribute=attribute, column_name=column_name, widget=widget, readonly=False)
        self.note = note
        self.example = example
        self.required = required
        self.choices_factory = choices
        self.width = width
        self.places = places  # the template lists the communes of the downloader's province


class PortalResource(PreviewCollecting, PlaceResolving, resources.ModelResource):
    """A model resource for staff imports; see the module docstring."""

    import_kind: ClassVar[str] = ""
    sheet_title: ClassVar[str] = ""
    # Attributes compared to decide that an existing row is unchanged.
    compare_attrs: ClassVar[tuple[str, ...]] = ()
    # Model fields written by bulk_update.
    update_fields: ClassVar[tuple[str, ...]] = ()

    def __init__(self, *, actor=None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.actor = actor
        self.excel_rows: list[int] = []
        self.seen: dict[Any, int] = {}
        self._values: dict[str, Any] = {}
        self._errors: dict[str, list[str]] = {}
        self._snapshot: tuple | None = None
        self._row_number = 0
        self._place_cache: dict[tuple[str, int | None], AdministrativeUnit | str] = {}
        self._cleaners: list[tuple[str, str, Callable, dict | None]] = []
        self._assigners: list[tuple[str, str, Callable]] = []
        self._new_instance: Callable = self._meta.model
        self.keep_rows = True
        self._columns: dict[str, str] = {}
        self._audited_bulk = False
        self._original = None
        self._updated_pairs: list[tuple[Any, Any]] = []
        self.preview: dict[str, Any] = {}
        self._before: dict[str, Any] | None = None

    # ------------------------------------------------------------------ scope
    @property
    def province_id(self) -> int | None:
        """The actor's province today, or None for a national user (who may import for any province)."""
        cached = self.__dict__.get("_province_id", _UNSET)
        if cached is _UNSET:
            if self.actor is None or sees_all_provinces(self.actor):
                cached = None
            else:
                cached = user_province_id(self.actor)
            self._province_id = cached
        return cached

    def get_result_class(self):
        return Result if self.keep_rows else LeanResult

    def get_import_fields(self):
        # Asked several times per row by import-export; the answer never changes during an import.
        fields = self.__dict__.get("_import_fields")
        if fields is None:
            fields = self._import_fields = super().get_import_fields()
        return fields

    def check_actor(self) -> None:
        if self.actor is None or not getattr(self.actor, "is_authenticated", False):
            raise ValueError(_("Cần đăng nhập để nhập dữ liệu."))
        if not sees_all_provinces(self.actor) and user_province_id(self.actor) is None:
            raise ValueError(_("Tài khoản chưa gắn với cơ quan của tỉnh nào nên không nhập được dữ liệu."))

    # ---------------------------------------------------------------- columns
    @classmethod
    def columns(cls) -> list[Column]:
        return [f for f in cls().get_import_fields() if isinstance(f, Column)]

    def column_for(self, attribute: str) -> str:
        columns = self._columns
        if not columns:
            for field in self.get_import_fields():
                if field.attribute:
                    columns.setdefault(field.attribute, field.column_name)
        return columns.get(attribute, attribute)

    # ------------------------------------------------------------ import flow
    def before_import(self, dataset, **kwargs) -> None:
        self.actor = self.actor or kwargs.get("user")
        self.__dict__.pop("_province_id", None)
        self.broken = True  # until the checks below pass: every row is then refused, none half-written
        self.check_actor()
        self.excel_rows = list(getattr(dataset, "excel_rows", None) or range(2, len(dataset) + 2))
        self._rename_headers(dataset)
        self._drop_template_rows(dataset)
        for field in self.get_import_fields():
            if isinstance(field.widget, LookupWidget):
                field.widget.reset()
        self.seen = {}
        self._cleaners = self._make_cleaners(dataset.headers or [])
        self._assigners = self._make_assigners()
        self._new_instance = self._make_factory()
        model = self._meta.model
        self._audited_bulk = bool(self._meta.use_bulk) and is_audited(model)
        self._updated_pairs = []
        self.start_preview(list(dataset.headers or []), {c.column_name for c in self.columns()})
        self.prepare(dataset)
        self.broken = False

    def _make_cleaners(self, headers: list[str]) -> list[tuple[str, str, Callable, dict | None]]:
        """(attribute, column, clean, memo) of each column present in the file, in field order. A widget
        whose result depends on the cell's value alone (`pure`) gets a memo: a value repeated down the
        column (a kind, a commune, "Có") is cleaned once."""
        present = set(headers)
        cleaners = []
        for field in self.get_import_fields():
            if field.attribute and field.column_name in present:
                widget = field.widget
                memo = {} if getattr(widget, "pure", False) else None
                cleaners.append((field.attribute, field.column_name, widget.clean, memo))
        return cleaners

    def _rename_headers(self, dataset) -> None:
        wanted = {header_key(c.column_name): c.column_name for c in self.columns()}
        headers = [wanted.get(header_key(h), clean_text(h) if h else "") for h in dataset.headers or []]
        dataset.headers = headers
        missing = [c.column_name for c in self.columns() if c.required and c.column_name not in headers]
        if missing:
            raise ValueError(
                _("Thiếu cột bắt buộc: %(columns)s. Hãy dùng tệp mẫu tải về từ cổng.")
                % {"columns": ", ".join(f"«{m}»" for m in missing)}
            )

    def _drop_template_rows(self, dataset) -> None:
        """The template's notes row and untouched example row are not data."""
        columns = self.columns()
        first = columns[0].column_name
        example = {c.column_name: c.example for c in columns if c.example not in (None, "")}
        index = 0
        checked = 0
        while index < len(dataset) and checked < 3:
            checked += 1
            row = dict(zip(dataset.headers, dataset[index], strict=False))
            first_text = fold_accents(str(row.get(first) or ""))
            is_note = first_text.startswith("huong dan")
            is_example = bool(example) and all(
                _same(row.get(name), value) for name, value in example.items() if name in row
            )
            if is_note or is_example:
                del dataset[index]
                del self.excel_rows[index]
            else:
                index += 1

    def prepare(self, dataset) -> None:
        """Load what the whole file needs in a few queries (existing rows, reference tables)."""

    def excel_row(self, row_number: int) -> int:
        if 0 < row_number <= len(self.excel_rows):
            return self.excel_rows[row_number - 1]
        return row_number + 1

    def before_import_row(self, row, **kwargs) -> None:
        progress.report(advance=1)
        self._row_number = kwargs.get("row_number", 0)
        values: dict[str, Any] = {}
        errors: dict[str, list[str]] = {}
        self._values, self._errors = values, errors
        if getattr(self, "broken", False):
            raise ValidationError(_("Tệp không nhập được (xem lỗi chung của tệp)."))
        for attribute, column, clean, memo in self._cleaners:
            value = row.get(column)
            if memo is None:
                try:
                    values[attribute] = clean(value, row=row)
                except ValueError as exc:
                    errors.setdefault(column, []).append(str(exc))
                continue
            # 1, 1.0 and True are equal keys in a dict but not the same cell: key by type too.
            key = value if type(value) is str else (type(value), value)
            cleaned = memo.get(key, _MISS)
            if cleaned is _MISS:
                try:
                    cleaned = clean(value)
                except ValueError as exc:
                    cleaned = _Refused(str(exc))
                if len(memo) < MEMO_LIMIT:
                    memo[key] = cleaned
            if type(cleaned) is _Refused:
                errors.setdefault(column, []).append(cleaned.message)
            else:
                values[attribute] = cleaned

    def get_or_init_instance(self, instance_loader, row):
        instance = self.find_existing(self._values)
        if instance is not None:
            self._snapshot = self.snapshot(instance)
            # The audit row of a bulk update needs the values before the import changed them.
            self._original = copy.copy(instance) if self._audited_bulk else None
            self.remember_before(instance)
            return instance, False
        self._snapshot = self._original = self._before = None
        return self.init_instance(row), True

    def snapshot(self, instance) -> tuple:
        return tuple(getattr(instance, attr) for attr in self.compare_attrs)

    def find_existing(self, values: dict[str, Any]):
        return None

    def add_error(self, attribute_or_column: str, message: str) -> None:
        column = self.column_for(attribute_or_column)
        self._errors.setdefault(column, []).append(message)

    def import_instance(self, instance, row, **kwargs) -> None:
        self._last_instance = instance
        values, errors = self._values, self._errors
        for attribute, column, assign in self._assigners:
            if attribute in values and column not in errors:
                assign(instance, values[attribute])
        self.check_row(instance, values, new=instance.pk is None)
        if errors:
            raise ValidationError(errors)

    def _make_assigners(self) -> list[tuple[str, str, Callable]]:
        """(attribute, column, assign) for each field an import sets on the instance (not many-to-many).
        A foreign key gets its id and its cached object directly, which is what its descriptor does once
        it has checked the object's type and database."""
        model = self._meta.model
        m2m = self.m2m_attrs()
        assigners = []
        for field in self.get_import_fields():
            attribute = field.attribute
            if not attribute or isinstance(field.widget, widgets.ManyToManyWidget) or attribute in m2m:
                continue
            assign = functools.partial(_set_attribute, attribute)
            try:
                model_field = model._meta.get_field(attribute)
            except FieldDoesNotExist:
                model_field = None
            if type(model_field) is models.ForeignKey and model_field.concrete:
                assign = functools.partial(
                    _set_foreign_key,
                    attribute,
                    model_field.attname,
                    model_field.target_field.attname,
                    model_field.related_model,
                    model_field.cache_name,
                )
            assigners.append((attribute, field.column_name, assign))
        return assigners

    def init_instance(self, row=None):
        return self._new_instance()

    def _make_factory(self) -> Callable:
        """A new, unsaved instance with every field at its default, as `Model()` gives it, from a copy of
        one such instance's values (`Model()` works out each default again, field by field). Models with a
        computed default or instance signals are built by `Model()` itself."""
        from django.db.models.base import ModelState
        from django.db.models.signals import post_init, pre_init

        model = self._meta.model
        computed = any(callable(f.default) for f in model._meta.concrete_fields if f.has_default())
        if computed or pre_init.has_listeners(model) or post_init.has_listeners(model):
            return model
        template = dict(model().__dict__)
        template.pop("_state", None)
        if any(not isinstance(v, str | int | float | bool | type(None)) for v in template.values()):
            return model
        new = object.__new__

        def factory():
            instance = new(model)
            instance.__dict__.update(template)
            instance._state = ModelState()
            return instance

        return factory

    def m2m_attrs(self) -> frozenset[str]:
        return frozenset()

    def check_row(self, instance, values: dict[str, Any], *, new: bool) -> None:
        """Cross-column and scope checks; call `self.add_error(column, message)` for each problem."""

    def check_unique_in_file(self, key: Any, column: str, what: str | Callable[[], str]) -> None:
        """Refuse a second row with the same key in one file, naming the first row. `what` may be a
        function giving the text, so that rows without a duplicate do not build it."""
        if key is None:
            return
        first = self.seen.get(key)
        if first is not None:
            self.add_error(
                column,
                _("Trùng %(what)s với dòng %(row)s của tệp.")
                % {"what": what() if callable(what) else what, "row": first},
            )
        else:
            self.seen[key] = self.excel_row(self._row_number)

    def skip_row(self, instance, original, row, import_validation_errors=None) -> bool:
        if import_validation_errors or self._errors or self._snapshot is None:
            return False
        return self.snapshot(instance) == self._snapshot

    def get_bulk_update_fields(self):
        return list(self.update_fields)

    def save_instance(self, instance, is_create, row, **kwargs):
        super().save_instance(instance, is_create, row, **kwargs)
        if self._audited_bulk and not is_create and self._original is not None:
            self._updated_pairs.append((self._original, instance))

    def save_m2m(self, instance, row, **kwargs) -> None:
        """Bulk imports have no many-to-many columns (import-export would loop over every field to find
        out, for every row); resources with such columns save them themselves."""
        if not self._meta.use_bulk:
            super().save_m2m(instance, row, **kwargs)

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        """Insert the pending new rows in one statement or COPY (see `insert_rows`); for an audited model,
        with their primary keys back and one audit row each."""
        if self.create_instances and (using_transactions or not dry_run):
            model = self._meta.model
            try:
                if self._audited_bulk:
                    created = insert_rows_with_ids(model, self.create_instances)
                    log_bulk_changes(model, created=created, actor=self.actor)
                else:
                    insert_rows(model, self.create_instances)
            except Exception as e:
                self.handle_import_error(result, e, raise_errors)
            finally:
                self.create_instances.clear()

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        """Write the pending changed rows (see `update_rows`); for an audited model, with the audit row of
        each change (old and new value of the audited fields)."""
        if self.update_instances and (using_transactions or not dry_run):
            model = self._meta.model
            try:
                update_rows(model, self.update_instances, self.get_bulk_update_fields())
                if self._audited_bulk:
                    log_bulk_changes(model, updated=self._updated_pairs, actor=self.actor)
            except Exception as e:
                self.handle_import_error(result, e, raise_errors)
            finally:
                self.update_instances.clear()
                self._updated_pairs.clear()


def _set_attribute(attribute: str, instance, value) -> None:
    setattr(instance, attribute, value)


def _set_foreign_key(
    name: str, attname: str, target: str, related_model, cache: str, instance, value
) -> None:
    if type(value) is related_model and value._state.db is not None:
        state = instance._state
        if state.db is None:
            state.db = value._state.db
        instance.__dict__[attname] = getattr(value, target)  # the cache is set just below
        state.fields_cache[cache] = value
    else:
        setattr(instance, name, value)  # None, or anything unusual: the descriptor's own checks


class LeanResult(Result):
    """import-export's result without a RowResult kept for each row: the totals, the rejected rows and the
    rows that failed are all the staff pages report, and 100.000 RowResults are ~50 MB."""

    def append_row_result(self, row_result) -> None:
        pass

    def row_errors(self):
        return [(row.number, row.errors) for row in self.error_rows]


def _same(value: Any, example: Any) -> bool:
    if value is None or example is None:
        return value is None and example is None
    try:
        return clean_text(value) == clean_text(example)
    except ValueError:
        return False


def chunked(items: list, size: int | None = None) -> Iterable[list]:
    """`items` in groups that fit one query's parameters: 900 where the database limits them (SQLite, 999
    a statement), one group where it does not. On PostgreSQL one query for 90.000 tax codes took 0,7–1 s,
    a hundred of 900 each 3–4 s."""
    if size is None:
        size = 900 if connection.features.max_query_params else max(len(items), 1)
    for start in range(0, len(items), size):
        yield items[start : start + size]
