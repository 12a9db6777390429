"""The annual report's four forms (HTML, PDF, XLSX, CSV), all drawn from the same figures
(tracker.reports.annual.build, or the copy a published version keeps). The HTML and the PDF are
made here; the spreadsheets in spreadsheets.py, whose entry points the views also find here."""

import functools
import threading
from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from tracker import progress
from tracker.formatting import (
    compact_breakdown,
    describe_basis,
    describe_changes,
    describe_coverage,
    format_in_unit,
)
from tracker.reports.labels import number, qualifier_label, section_label, status_of
from tracker.reports.spreadsheets import csv_headers, csv_rows, xlsx_sheets

__all__ = [
    "csv_headers",
    "csv_rows",
    "pdf_bytes",
    "present",
    "qualifier_label",
    "section_label",
    "xlsx_sheets",
]


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


@functools.cache
def _fonts():
    """One font configuration for the life of the process, and a lock to use it.

    WeasyPrint otherwise builds a Fontconfig configuration and a Pango font map for every
    document, and about 0.2 MB of each stays behind in the C libraries once Python has let go,
    so a worker grew without end (93 to 210 MB over 200 reports). Reused, memory stays flat and
    the fonts already opened make the next report faster. A Pango font map is not meant to be
    shared between threads (the development server runs one per request), hence the lock.
    """
    return FontConfiguration(), threading.Lock()


def pdf_bytes(context):
    html = render_to_string("tracker/report_print.html", {**context, "print_css": _print_css()})
    font_config, lock = _fonts()
    with lock:
        # The stylesheet is inlined and nothing else is fetched: no network, nothing leaks.
        return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=())).write_pdf(
            font_config=font_config
        )
