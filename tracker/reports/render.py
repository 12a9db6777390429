"""The annual report's four forms (HTML, PDF, XLSX, CSV), all drawn from the same figures
(tracker.reports.annual.build, or the copy a published version keeps)."""

import functools
from decimal import Decimal
from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from tracker import progress
from tracker.formatting import (
    QUARTER_LABELS,
    compact_breakdown,
    describe_basis,
    describe_changes,
    describe_coverage,
    format_in_unit,
)
from tracker.reports.annual import NARRATIVE_SECTIONS
from tracker.reports.tabular import Fcfa, Percent, Sheet


def number(text):
    return None if text is None else Decimal(text)


def status_of(value):
    return progress.Status(value)


# HTML and PDF


def present(figures):
    """The figures with every number formatted for the active language, for the templates."""
    axes = []
    for axis in figures["axes"]:
        rows = []
        for row in axis["indicators"]:
            unit = row["unit_kind"]
            breakdown, zero_cells = compact_breakdown(row["breakdown"])
            rows.append(
                {
                    **row,
                    "baseline_text": format_in_unit(unit, number(row["baseline"])),
                    "target_text": format_in_unit(unit, number(row["target"])),
                    "quarter_texts": [
                        format_in_unit(unit, number(quarter["value"]), quarter.get("qualifier"))
                        if quarter
                        else "—"
                        for quarter in row["quarters"]
                    ],
                    "annual_text": format_in_unit(
                        unit, number(row["annual"]), row.get("annual_qualifier")
                    ),
                    # Short in the narrow column; the table's legend says what the quarters
                    # beside a whole-year value are.
                    "basis_text": describe_basis(row.get("basis"), False),
                    "in_year_quarters": bool(
                        row.get("basis") == progress.Basis.WHOLE_YEAR and any(row["quarters"])
                    ),
                    "status_obj": status_of(row["status"]),
                    "changes_text": _changes_text(figures["year"], row),
                    "coverage_text": describe_coverage(
                        unit,
                        covered=row.get("breakdown_covers"),
                        total=row["annual"],
                        quarters=row.get("breakdown_quarters", []),
                    ),
                    "breakdown_texts": [
                        {**cell, "text": format_in_unit(unit, number(cell["value"]))}
                        for cell in breakdown
                    ],
                    "zero_cells": zero_cells,
                }
            )
        axes.append(
            {**axis, "rows": rows, "in_year_note": any(row["in_year_quarters"] for row in rows)}
        )
    summary = figures["summary"]
    return {
        **figures,
        "axes": axes,
        "summary": {
            **summary,
            "status_list": [
                (status, summary["statuses"].get(status.value, 0)) for status in progress.Status
            ],
            "planned_text": format_in_unit("amount", number(summary["planned"])),
            "spent_text": format_in_unit("amount", number(summary["spent"])),
        },
        "budget": {
            "by_axis": [
                {
                    **row,
                    "planned_text": format_in_unit("amount", number(row["planned"])),
                    "spent_text": format_in_unit("amount", number(row["spent"])),
                }
                for row in figures["budget"]["by_axis"]
            ],
            "by_source": [
                {**row, "planned_text": format_in_unit("amount", number(row["planned"]))}
                for row in figures["budget"]["by_source"]
            ],
        },
        "activities": [
            {
                **row,
                "planned_text": format_in_unit("amount", number(row["planned"])),
                "spent_text": format_in_unit("amount", number(row["spent"])),
            }
            for row in figures["activities"]
        ],
        "meetings": [
            {**meeting, "date_text": date_format(parse_date(meeting["date"]), "DATE_FORMAT")}
            for meeting in figures["meetings"]
        ],
    }


def _change(saved):
    return (saved["difference"], saved["trend"]) if saved else None


def _changes_text(year, row):
    """How a figure without a target moved (reports published before these were kept have
    none)."""
    if row["status"] != progress.Status.NO_TARGET:
        return ""
    return describe_changes(
        row["unit_kind"],
        year=year,
        baseline_year=row["baseline_year"],
        from_previous=_change(row.get("change_from_previous")),
        from_baseline=_change(row.get("change_from_baseline")),
    )


@functools.cache
def _print_css():
    return Path(finders.find("tracker/report_print.css")).read_text(encoding="utf-8")


def pdf_bytes(context):
    html = render_to_string("tracker/report_print.html", {**context, "print_css": _print_css()})
    # The stylesheet is inlined and nothing else is fetched: no network, nothing leaks.
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=())).write_pdf()


# XLSX and CSV


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


def basis_label(row):
    """Where the year's figure comes from; empty without a figure (or for reports published
    before the basis was kept)."""
    if row["annual"] is None or not row.get("basis"):
        return None
    return str(progress.Basis(row["basis"]).label)


def qualifier_label(qualifier):
    """The bound a figure is, for the column beside its number; empty when exact."""
    if not qualifier or qualifier == progress.Qualifier.EXACT:
        return None
    return str(progress.Qualifier(qualifier).label)


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


def section_label(name):
    return {
        "summary": _("Summary"),
        "achievements": _("Achievements"),
        "challenges": _("Challenges"),
        "recommendations": _("Recommendations"),
    }[name]
