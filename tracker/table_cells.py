"""The base of the list pages' tables: django-tables2's, with rows that call each column's
render_* and value_* methods without inspecting their parameters for every cell, columns
that work out their cells' HTML attributes once when no attribute depends on the row, and a
body (the rows and their cells) written in Python rather than iterated in the template."""

from functools import cache
from types import MethodType
from urllib.parse import quote

import django_tables2 as tables
from django.db import models
from django.template import Template
from django.template.base import render_value_in_context
from django.templatetags.l10n import localize, unlocalize
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import conditional_escape
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import mark_safe
from django_tables2.columns.base import BoundColumn
from django_tables2.columns.linkcolumn import BaseLinkColumn
from django_tables2.columns.manytomanycolumn import ManyToManyColumn
from django_tables2.rows import BoundRow, BoundRows
from django_tables2.utils import A, call_with_appropriate, signature

# The parameters of each table method, read once: django-tables2 inspects them for every cell
# it renders (a tenth of the indicator table's time).
_PARAMETERS = {}


def call_with_parameters(method, arguments):
    """django-tables2's call_with_appropriate (the arguments among `arguments` that `method`
    takes; None if it takes one that is missing), with each method's parameters read once."""
    if not isinstance(method, MethodType):
        return call_with_appropriate(method, arguments)
    if method.__func__ not in _PARAMETERS:
        _PARAMETERS[method.__func__] = signature(method)
    names, catch_all = _PARAMETERS[method.__func__]
    if catch_all:
        return method(**arguments)
    if any(name not in arguments for name in names):
        return None
    return method(**{name: arguments[name] for name in names})


class RowLinks:
    """A link reversed once for a table's rows, each row's own last part (an id, a code) put
    in: reverse() for every row was a tenth of a list's cells' time. The part is quoted as
    reverse() quotes a URL."""

    # Stands for the row's part: digits, so that an int converter takes it too.
    MARK = "918273645"

    def __init__(self, viewname, *args):
        url = reverse(viewname, args=[*args, self.MARK])
        self.before, _mark, self.after = url.rpartition(self.MARK)

    def __call__(self, part):
        return f"{self.before}{quote(str(part), safe=RFC3986_SUBDELIMS + '/~:@')}{self.after}"


class CellPath:
    """A column's accessor read once for a table: its parts before the last, the last, and
    whether, for a record of a given model, the last part is a field with choices (whose
    get_FOO_display() then gives the cell's value, as django-tables2 does)."""

    def __init__(self, accessor):
        self.accessor = A(accessor)
        path, _sep, self.last = self.accessor.rpartition(self.accessor.SEPARATOR)
        self.path = A(path)
        self.last_part = A(self.last)
        self.last_part.SEPARATOR = self.accessor.SEPARATOR  # the last part is one name
        self._choices = {}

    def displayed_by_choices(self, record):
        model = type(record)
        if model not in self._choices:
            field = self.accessor.get_field(record)
            self._choices[model] = bool(getattr(field, "choices", ()))
        return self._choices[model]


class Row(BoundRow):
    def _get_and_render_with(self, bound_column, render_func, default):
        """BoundRow._get_and_render_with with the column's accessor read once per table (not
        parsed, walked to its last part, checked against the model's fields and walked again
        for every cell). The same value: the path's objects, then the last part read from the
        last object, or its get_FOO_display() for a field with choices."""
        record = self.record
        if isinstance(record, dict) or not isinstance(bound_column, Column):
            return super()._get_and_render_with(bound_column, render_func, default)
        cell_path, column, value = bound_column.cell_path, bound_column.column, None
        try:
            # What accessor.resolve(record) walks before the last part; it stops at None.
            penultimate = cell_path.path.resolve(record)
        except Exception:
            penultimate, failed = None, True
        else:
            failed = False
        display = (
            getattr(penultimate, f"get_{cell_path.last}_display", None)
            if isinstance(penultimate, models.Model) and cell_path.displayed_by_choices(record)
            else None
        )
        if display:
            value = display()
        elif cell_path.last and penultimate is not None:
            try:
                value = cell_path.last_part.resolve(penultimate)
            except Exception:
                failed = True
        if failed and isinstance(column, BaseLinkColumn) and column.text is not None:
            return render_func(bound_column)  # a column with its own text needs no value
        if value in column.empty_values or (
            isinstance(column, ManyToManyColumn) and not value.exists()
        ):
            return default
        return render_func(bound_column, value)

    def items(self):
        """BoundRow.items (each visible column and its cell), without looking each column up
        again by its name, a walk through the table's columns for every cell."""
        for column in self.table.columns:
            column.current_value = self._get_and_render_with(
                column, render_func=self._call_render, default=column.default
            )
            column.current_record = self.record
            yield column, column.current_value

    def _call_render(self, bound_column, value=None):
        arguments = self._optional_cell_arguments(bound_column, value)
        content = call_with_parameters(bound_column.render, arguments)
        return bound_column.link(content, **arguments) if bound_column.link else content

    def _call_value(self, bound_column, value=None):
        arguments = self._optional_cell_arguments(bound_column, value)
        return call_with_parameters(bound_column.value, arguments)


class Rows(BoundRows):
    def __iter__(self):
        yield from self.generator_pinned_row(self.pinned_data.get("top"))
        for record in self.data:
            yield Row(record, table=self.table)
        yield from self.generator_pinned_row(self.pinned_data.get("bottom"))

    def __getitem__(self, key):  # a page of rows is a slice
        if isinstance(key, slice):
            return Rows(data=self.data[key], table=self.table, pinned_data=self.pinned_data)
        return Row(record=self.data[key], table=self.table)


def _computed(attributes):
    """Whether some attribute is a callable, which django-tables2 calls for every cell."""
    return any(
        callable(value) or (isinstance(value, dict) and _computed(value))
        for value in attributes.values()
    )


class Column(BoundColumn):
    @property
    def attrs(self):
        """The th, td and tf attributes: worked out for every cell (50 rows × 9 columns) by
        django-tables2, here once while the table's ordering is the same, unless one of them
        is computed from the row."""
        if self.computed_from_row:
            return super().attrs
        ordering = tuple(self._table.order_by or ())
        if getattr(self, "_attrs_ordering", None) != ordering:
            self._attrs, self._attrs_ordering = super().attrs, ordering
        return self._attrs

    @cached_property
    def cell_path(self):
        return CellPath(self.accessor)

    @cached_property
    def computed_from_row(self):
        """Read once: the table's and the column's attributes are set when they are built."""
        return _computed(self._table.attrs) or _computed(self.column.attrs)


class Table(tables.Table):
    """A django-tables2 table whose cells call the render_* and value_* methods without
    inspecting them each time, its body written by table_body; the same HTML and exported
    values."""

    TEMPLATE = "tracker/_table.html"  # django_tables2/bootstrap5.html with table_body

    def __init__(self, *args, template_name=None, **kwargs):
        super().__init__(*args, template_name=template_name or self.TEMPLATE, **kwargs)
        self.rows = Rows(data=self.data, table=self, pinned_data=self.pinned_data)
        for column in self.columns.columns.values():
            column.__class__ = Column  # django-tables2 builds BoundColumn itself


# The table body as django_tables2/bootstrap5.html writes it, whitespace included, so that a
# page is the same to the byte (tests/test_tables_html.py renders both and compares). Iterating
# 50 rows × 9 cells in the template language was close to half of a list page's time.
_BODY_START = "\n                <tbody {}>\n                "
_ROW_START = "\n                    \n                    <tr {}>\n                        "
_CELL = "\n                            <td {}>{}</td>\n                        "
_ROW_END = "\n                    </tr>\n                    \n                "
_EMPTY = (
    "\n                    \n                    \n"
    '                        <tr><td colspan="{}">{}</td></tr>\n'
    "                    \n                    \n                "
)
_NO_EMPTY_TEXT = "\n                    \n                "
_BODY_END = "\n                </tbody>\n            "


@cache
def _callable_cell():
    """A cell whose value is callable: the template language calls it (or not) as the table
    template would."""
    return Template(
        "{% load l10n %}{% if localize == None %}{{ cell }}{% else %}{% if localize %}"
        "{{ cell|localize }}{% else %}{{ cell|unlocalize }}{% endif %}{% endif %}"
    )


def _cell_html(cell, localized, context):
    """What `{{ cell }}`, `{{ cell|localize }}` or `{{ cell|unlocalize }}` writes."""
    if callable(cell):
        with context.push(cell=cell, localize=localized):
            return _callable_cell().render(context)
    if localized is not None:
        cell = localize(cell) if localized else unlocalize(cell)
    return render_value_in_context(cell, context)


def table_body(table, context):
    """The block table.tbody of django_tables2/bootstrap5.html (its rows, their cells or the
    empty text), written in Python with the template's calls: rows, row.items, then each
    cell's td attributes (after the cell, which they may depend on), the value as `{{ cell }}`
    writes it."""
    parts = [_BODY_START.format(conditional_escape(table.attrs["tbody"].as_html()))]
    # The td attributes of the columns whose attributes do not depend on the row, once.
    same_td = {
        column.name: conditional_escape(column.attrs["td"].as_html())
        for column in table.columns
        if isinstance(column, Column) and not column.computed_from_row
    }
    rows = table.paginated_rows
    if not hasattr(rows, "__len__"):
        rows = list(rows)
    if len(rows) < 1:
        if table.empty_text:
            columns = render_value_in_context(len(table.columns), context)
            parts.append(_EMPTY.format(columns, render_value_in_context(table.empty_text, context)))
        else:
            parts.append(_NO_EMPTY_TEXT)
        rows = ()
    for row in rows:
        parts.append(_ROW_START.format(conditional_escape(row.attrs.as_html())))
        for column, cell in row.items():
            attributes = same_td.get(column.name)
            if attributes is None:
                attributes = conditional_escape(column.attrs["td"].as_html())
            parts.append(_CELL.format(attributes, _cell_html(cell, column.localize, context)))
        parts.append(_ROW_END)
    parts.append(_BODY_END)
    return mark_safe("".join(parts))
