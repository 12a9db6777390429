"""The base of the list pages' tables: django-tables2's, with rows that call each column's
render_* and value_* methods without inspecting their parameters for every cell, and columns
that work out their cells' HTML attributes once when no attribute depends on the row."""

from types import MethodType

import django_tables2 as tables
from django_tables2.columns.base import BoundColumn
from django_tables2.rows import BoundRow, BoundRows
from django_tables2.utils import call_with_appropriate, signature

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


class Row(BoundRow):
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
        if _computed(self._table.attrs) or _computed(self.column.attrs):
            return super().attrs
        ordering = tuple(self._table.order_by or ())
        if getattr(self, "_attrs_ordering", None) != ordering:
            self._attrs, self._attrs_ordering = super().attrs, ordering
        return self._attrs


class Table(tables.Table):
    """A django-tables2 table whose cells call the render_* and value_* methods without
    inspecting them each time; the same HTML and exported values."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = Rows(data=self.data, table=self, pinned_data=self.pinned_data)
        for column in self.columns.columns.values():
            column.__class__ = Column  # django-tables2 builds BoundColumn itself
