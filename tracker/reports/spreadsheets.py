"""The annual report as spreadsheets: the XLSX workbook's sheets and the CSV's rows, in typed
cells that tracker.reports.tabular writes, text made inert there (spreadsheet_text)."""

from decimal import Decimal

from django.utils.translation import gettext as _

from tracker import progress
from tracker.formatting import QUARTER_LABELS
from tracker.reports.annual import NARRATIVE_SECTIONS
from tracker.reports.labels import (
    basis_label,
    number,
    qualifier_label,
    section_label,
    status_of,
)
from tracker.reports.tabular import Fcfa, Percent, Sheet


def _cell(unit, text):
    value = number(text)
    if value is None:
        return None
    if unit == "percentage":
        return Percent(value)
    if unit == "amount":
        return Fcfa(value)
    return value


def indicator_headers():
    return [
        _("Axis"),
        _("Code"),
        _("Indicator"),
        _("Unit"),
        _("Baseline"),
        _("Baseline year"),
        _("Annual target"),
        *map(str, QUARTER_LABELS),
        _("Annual value"),
        _("Qualifier"),
        _("Basis of the annual value"),
        _("Status"),
        _("Progress"),
        _("Change on the previous year"),
        _("Change on the baseline"),
    ]


def _indicator_cells(axis, row):
    unit = row["unit_kind"]
    return [
        axis["number"],
        row["code"],
        row["name"],
        unit,
        _cell(unit, row["baseline"]),
        row["baseline_year"],
        _cell(unit, row["target"]),
        *[_cell(unit, quarter["value"]) if quarter else None for quarter in row["quarters"]],
        _cell(unit, row["annual"]),
        qualifier_label(row.get("annual_qualifier")),
        basis_label(row),
        str(status_of(row["status"]).label),
        Percent(progress.share_as_points(row["progress"])) if row["progress"] is not None else None,
        *[
            _difference_cell(unit, row.get(name))
            for name in ("change_from_previous", "change_from_baseline")
        ],
    ]


def _difference_cell(unit, saved):
    """A change in the unit's own cells (percentage points as a number of points)."""
    if not saved:
        return None
    return number(saved["difference"]) if unit == "percentage" else _cell(unit, saved["difference"])


def xlsx_sheets(figures, narrative):
    summary = figures["summary"]
    sheets = [
        Sheet(
            _("Summary"),
            [_("Figure"), _("Value")],
            [
                [_("Plan"), figures["plan"]["title"]],
                [_("Year"), figures["year"]],
                [_("Indicators"), summary["indicators"]],
                [_("Indicators with validated data"), summary["with_data"]],
                [_("Validated values"), summary["validated_values"]],
                *[
                    [str(status.label), summary["statuses"].get(status.value, 0)]
                    for status in progress.Status
                ],
                [_("Budget planned"), _cell("amount", summary["planned"])],
                [_("Budget spent"), _cell("amount", summary["spent"])],
            ],
            widths=[40, 60],
        ),
        Sheet(
            _("Indicators"),
            indicator_headers(),
            [_indicator_cells(axis, row) for axis in figures["axes"] for row in axis["indicators"]],
            widths=[6, 10, 60, 12, 12, 10, 12, 12, 12, 12, 12, 12, 12, 10],
        ),
        Sheet(
            _("Breakdowns"),
            [
                _("Code"),
                _("Dimension"),
                _("Category"),
                _("Crossed with"),
                _("Category"),
                _("Value"),
            ],
            [
                [
                    row["code"],
                    cell["dimension"],
                    cell["category"],
                    cell["cross_dimension"],
                    cell["cross_category"],
                    _cell(row["unit_kind"], cell["value"]),
                ]
                for axis in figures["axes"]
                for row in axis["indicators"]
                for cell in row["breakdown"]
            ],
            widths=[10, 16, 24, 16, 24, 12],
        ),
        Sheet(
            _("Activities"),
            [
                _("Code"),
                _("Activity"),
                _("Lead"),
                _("Status"),
                # xgettext:no-python-format
                _("% complete"),
                _("Planned"),
                _("Spent"),
            ],
            [
                [
                    row["code"],
                    row["title"],
                    row["lead"],
                    row["status_label"],
                    Percent(Decimal(row["percent_complete"]))
                    if row["percent_complete"] is not None
                    else None,
                    _cell("amount", row["planned"]),
                    _cell("amount", row["spent"]),
                ]
                for row in figures["activities"]
            ],
            widths=[10, 60, 16, 14, 12, 18, 18],
        ),
        Sheet(
            _("Budget"),
            [_("Axis"), _("Name"), _("Planned"), _("Spent")],
            [
                [
                    row["axis"],
                    row["name"],
                    _cell("amount", row["planned"]),
                    _cell("amount", row["spent"]),
                ]
                for row in figures["budget"]["by_axis"]
            ],
            widths=[6, 40, 18, 18],
        ),
        Sheet(
            _("Funding sources"),
            [_("Funding source"), _("Planned")],
            [
                [row["source"], _cell("amount", row["planned"])]
                for row in figures["budget"]["by_source"]
            ],
            widths=[40, 18],
        ),
        Sheet(
            _("Meetings"),
            [
                _("Date"),
                _("Place"),
                _("Period"),
                _("Institutions"),
                _("Women"),
                _("Men"),
                _("Decisions"),
            ],
            [
                [
                    m["date"],
                    m["place"],
                    m["period"],
                    m["institutions"],
                    m["women"],
                    m["men"],
                    m["decisions"],
                ]
                for m in figures["meetings"]
            ],
            widths=[12, 20, 10, 12, 8, 8, 60],
        ),
        Sheet(
            _("Narrative"),
            [_("Section"), _("Text")],
            [[section_label(name), narrative.get(name, "")] for name in NARRATIVE_SECTIONS],
            widths=[20, 100],
        ),
        Sheet(
            _("Sources"),
            [_("Source"), _("Address"), _("Figures")],
            [
                # Reports published before the annex listed publications keep their rows.
                [s["source"], s.get("address", ""), s.get("figures") or s.get("indicator")]
                for s in figures["sources"]
            ],
            widths=[10, 10, 60, 60],
        ),
    ]
    return sheets


def csv_headers():
    """The indicator columns, with the breakdown cell's columns after the first four."""
    columns = indicator_headers()
    breakdown = [
        _("Row"),
        _("Dimension"),
        _("Category"),
        _("Crossed dimension"),
        _("Crossed category"),
    ]
    return [*columns[:4], *breakdown, *columns[4:]]


def csv_rows(figures):
    """One row per indicator, then one per breakdown cell under it."""
    for axis in figures["axes"]:
        for row in axis["indicators"]:
            cells = _indicator_cells(axis, row)
            yield [*cells[:4], _("total"), None, None, None, None, *cells[4:]]
            for cell in row["breakdown"]:
                yield [
                    *cells[:4],
                    _("breakdown"),
                    cell["dimension"],
                    cell["category"],
                    cell["cross_dimension"],
                    cell["cross_category"],
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                    _cell(row["unit_kind"], cell["value"]),
                    None,
                    None,
                    None,
                    None,
                    None,
                ]
