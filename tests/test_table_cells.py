"""tracker.table_cells.Row reads a column's accessor once per table instead of once per cell:
every cell, rendered (get_cell) or exported (get_cell_value), must be the one django-tables2's
own BoundRow gives, whatever the accessor meets on its way: model fields with choices, None,
an attribute that fails, a callable, a dict, a link with its own text, a many-to-many."""

import django_tables2 as tables
import pytest
from django_tables2.rows import BoundRow

from tracker.models import Indicator
from tracker.table_cells import Row, Table

from .factories import IndicatorFactory, IndicatorValueFactory, InstitutionFactory

pytestmark = pytest.mark.django_db


class Broken:
    """An object whose attribute fails to read."""

    @property
    def failing(self):
        raise RuntimeError("not readable")


class Holder:
    def __init__(self, **parts):
        self.__dict__.update(parts)

    def greeting(self):
        return "called"


class Everything(Table):
    plain = tables.Column(accessor="indicator__code")
    choices = tables.Column(accessor="indicator__unit_kind")  # get_unit_kind_display()
    choices_on_record = tables.Column(accessor="status")
    deep = tables.Column(accessor="indicator__result__axis__number")
    missing = tables.Column(accessor="nothing__here")
    failing = tables.Column(accessor="broken__failing")
    called = tables.Column(accessor="holder__greeting")
    none_on_the_way = tables.Column(accessor="empty__code", default="n/a")
    empty_kept = tables.Column(accessor="empty", empty_values=())
    link_with_text = tables.LinkColumn(
        "indicator-detail", args=["x", "y"], text="see", accessor="broken__failing"
    )
    link_over_none = tables.LinkColumn(
        "indicator-detail", args=["x", "y"], text="see", accessor="empty__code"
    )
    link_without_text = tables.LinkColumn(
        "indicator-detail", args=["x", "y"], accessor="broken__failing"
    )
    institutions = tables.ManyToManyColumn(accessor="indicator__responsible_institutions")
    whole = tables.Column(accessor="holder")

    def render_whole(self, value):
        return type(value).__name__


@pytest.fixture
def records():
    with_institution = IndicatorFactory(
        unit_kind=Indicator.UnitKind.PERCENTAGE, aggregation=Indicator.Aggregation.LATEST
    )
    with_institution.responsible_institutions.add(InstitutionFactory(acronym="MPFEF"))
    values = [
        IndicatorValueFactory(indicator=with_institution),
        IndicatorValueFactory(indicator=IndicatorFactory(unit_kind=Indicator.UnitKind.COUNT)),
    ]
    for value, holder in zip(values, [Holder(), None], strict=True):
        value.broken, value.holder, value.empty = Broken(), holder, None
    return values


def cells(row_class, table, records, method):
    return [
        [getattr(row_class(record, table=table), method)(column.name) for column in table.columns]
        for record in records
    ]


@pytest.mark.parametrize("method", ["get_cell", "get_cell_value"])
def test_every_cell_is_django_tables2s(records, method):
    table = Everything(records)
    ours = cells(Row, table, records, method)
    theirs = cells(BoundRow, table, records, method)
    assert ours == theirs
    # The cases the table is meant to meet, met.
    first = dict(zip([column.name for column in table.columns], ours[0], strict=True))
    shown = method == "get_cell"  # a page shows the column's default, a file None
    assert first["choices"] == Indicator.UnitKind.PERCENTAGE.label
    assert first["called"] == "called" and first["whole"] == "Holder"
    assert first["none_on_the_way"] == ("n/a" if shown else None)
    assert first["failing"] == ("—" if shown else None)
    assert "MPFEF" in str(first["institutions"])
    assert "see" in str(first["link_with_text"])  # its text, with no value to link
    assert first["link_over_none"] == ("—" if shown else None)  # None on the way: no link


def test_rows_of_dicts_are_read_as_django_tables2_reads_them():
    class Flat(Table):
        name = tables.Column(accessor="indicator__code")
        other = tables.Column()

    data = [{"indicator__code": "1.1-1", "other": 2}, {"other": None}]
    table = Flat(data)
    assert cells(Row, table, data, "get_cell") == cells(BoundRow, table, data, "get_cell")


def test_the_rows_a_table_gives_are_ours(records):
    table = Everything(records)
    assert all(type(row) is Row for row in table.rows)
