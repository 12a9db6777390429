"""The indicator table with its filters and exports, one indicator's page, and the regions view
(DESIGN.md §4)."""

from collections import defaultdict

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django_tables2 import RequestConfig

from tracker import progress
from tracker.access import Right, plan_view
from tracker.figures import QUARTERS, indicator_year, read_scale_levels, year_figures
from tracker.filters import IndicatorFilter
from tracker.formatting import (
    describe_basis,
    describe_changes,
    describe_coverage,
    format_annual,
)
from tracker.models import (
    DimensionValue,
    Indicator,
    IndicatorValue,
    period_label,
)
from tracker.reports.tabular import Sheet, csv_response, xlsx_response
from tracker.tables import IndicatorYearTable
from tracker.views.plans import render_plan_page, selected_year

PAGE_SIZE = 50


@plan_view(Right.READ)
def indicator_list(request, access):
    plan = access.plan
    year = selected_year(request, plan)
    indicator_filter = IndicatorFilter(
        request.GET, queryset=Indicator.objects.filter(plan=plan).order_by("code"), plan=plan
    )
    figures = year_figures(plan, indicator_filter.qs.distinct(), year, with_breakdown=False)
    wanted_status = (
        indicator_filter.form.cleaned_data.get("status") if (indicator_filter.is_valid()) else None
    )
    if wanted_status:
        figures = [figure for figure in figures if figure.status == wanted_status]
    table = IndicatorYearTable(figures, plan=plan, year=year)
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        return export_indicator_table(table, export)
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    return render_plan_page(
        request,
        access,
        "tracker/indicator_list.html",
        {
            "year": year,
            "filter": indicator_filter,
            "table": table,
            "export_csv_url": export_url(request, year, "csv"),
            "export_xlsx_url": export_url(request, year, "xlsx"),
        },
    )


def export_url(request, year, kind):
    """This page's query string with every filter kept, the shown year made explicit, the
    table's page dropped (the file has every row) and ?export= set to kind."""
    query = request.GET.copy()
    query["year"] = str(year)
    query["export"] = kind
    query.pop("page", None)
    return f"?{query.urlencode()}"


def export_indicator_table(table, kind):
    filename = f"indicators-{table.plan.slug}-{table.year}.{kind}"
    headers, rows, widths = table.export_rows()
    if kind == "csv":
        return csv_response(filename, headers, rows)
    return xlsx_response(filename, [Sheet(_("Indicators"), headers, rows, widths)])


@plan_view(Right.READ)
def indicator_detail(request, access, code):
    plan = access.plan
    indicator = get_object_or_404(Indicator.objects.for_page(), plan=plan, code=code)
    read_scale_levels([indicator])
    year = selected_year(request, plan)
    values = IndicatorValue.objects.history_of(indicator)
    # From the values and targets read above: only the breakdown is left to read.
    figure = indicator_year(plan, indicator, values, year)
    chart, chart_rows = chart_data(plan, indicator, values)
    tables = breakdown_tables(figure)
    return render_plan_page(
        request,
        access,
        "tracker/indicator_detail.html",
        {
            "year": year,
            "indicator": indicator,
            "values": values,
            "figure": figure,
            **figure_texts(indicator, figure, year),
            "chart": chart,
            "chart_rows": [
                (label, format_annual(indicator, value), format_annual(indicator, target))
                for label, value, target in chart_rows
                if value is not None or target is not None
            ],
            "breakdown_tables": tables,
            "breakdown_charts": [table["chart"] for table in tables],
        },
    )


def figure_texts(indicator, figure, year):
    """The sentences under the year's figure: how it moved (when there is no target to
    measure progress against), what its breakdown covers, what the annual value rests on."""
    changes = ""
    if figure.status == progress.Status.NO_TARGET:
        changes = describe_changes(
            indicator.unit_kind, year=year, baseline_year=indicator.baseline_year, **figure.changes
        )
    return {
        "changes": changes,
        "coverage": describe_coverage(
            indicator.unit_kind,
            covered=figure.breakdown_covers,
            total=figure.annual_value,
            quarters=figure.breakdown_quarters,
        ),
        "basis": describe_basis(figure.basis, bool(figure.quarters)),
    }


def chart_number(indicator, number):
    """A figure for Chart.js, already rounded as the pages print it (the tooltips show it as
    it comes)."""
    if number is None:
        return None
    if indicator.unit_kind == Indicator.UnitKind.PERCENTAGE:
        number = progress.rounded(number, progress.PERCENT_PLACES)
    return float(number)


def chart_data(plan, indicator, values):
    """(the chart, its table): validated values against annual targets and the baseline, for
    Chart.js, and the same figures unrounded as (period label, value, target) rows for the table
    beside it. Quarters are points, never joined across an empty quarter; a whole-year value is
    drawn across its year, not as a fourth quarter."""
    validated = {
        (value.period.year, value.period.quarter): value.value
        for value in values
        if value.status == IndicatorValue.Status.VALIDATED
    }
    targets = {target.year: target.value for target in indicator.annual_targets.all()}
    labels, points, whole_years, target_line, rows = [], [], [], [], []
    for year in plan.years:
        target, whole_year = targets.get(year), validated.get((year, None))
        target_point, whole_year_point = (
            chart_number(indicator, target),
            chart_number(indicator, whole_year),
        )
        for quarter in QUARTERS:
            label, number = period_label(year, quarter), validated.get((year, quarter))
            labels.append(label)
            points.append(chart_number(indicator, number))
            whole_years.append(whole_year_point)
            target_line.append(target_point)
            rows.append((label, number, target))
        if whole_year is not None:
            rows.append((period_label(year, None), whole_year, target))
    chart = {
        "labels": labels,
        "values": points,
        "whole_years": whole_years if any(v is not None for v in whole_years) else [],
        "targets": target_line,
        "baseline": chart_number(indicator, indicator.baseline_value),
        "series": {
            "values": _("Validated value"),
            "whole_years": _("Whole-year value"),
            "targets": _("Annual target"),
            "baseline": _("Baseline"),
        },
    }
    # Without a point, a target or a baseline there is nothing to draw, nor Chart.js to load.
    chart["drawn"] = chart["baseline"] is not None or any(
        point is not None for point in (*points, *target_line)
    )
    return chart, rows


def breakdown_tables(figure):
    """The year's breakdown as one table per dimension: [(dimension, [(category, value)])],
    crossed cells summed into each of their two categories."""
    totals = defaultdict(lambda: defaultdict(lambda: None))
    dimensions = {}
    for cell in figure.breakdown:
        for category in filter(None, (cell.category, cell.cross_category)):
            dimension = category.dimension
            dimensions[dimension.pk] = dimension
            current = totals[dimension.pk][category]
            totals[dimension.pk][category] = (current or 0) + cell.value
    tables = []
    for dimension_id, categories in totals.items():
        rows = sorted(categories.items(), key=lambda item: (item[0].order, item[0].name))
        tables.append(
            {
                "dimension": dimensions[dimension_id],
                "rows": [
                    (category, format_annual(figure.indicator, value)) for category, value in rows
                ],
                "chart": {
                    "labels": [category.name for category, _value in rows],
                    "values": [float(value) for _category, value in rows],
                },
            }
        )
    return sorted(tables, key=lambda table: table["dimension"].order)


@plan_view(Right.READ)
def region_view(request, access):
    """Indicators × regions for a year, for indicators disaggregated by region."""
    plan = access.plan
    year = selected_year(request, plan)
    indicators = (
        Indicator.objects.filter(plan=plan, dimensions__code="region").order_by("code").distinct()
    )
    columns = list(
        DimensionValue.objects.filter(dimension__code="region").order_by("order", "name")
    )
    rows = []
    for figure in year_figures(plan, indicators, year):
        by_region = {
            category: text
            for table in breakdown_tables(figure)
            if table["dimension"].code == "region"
            for category, text in table["rows"]
        }
        rows.append((figure, by_region))
    return render_plan_page(
        request,
        access,
        "tracker/regions.html",
        {
            "year": year,
            "columns": columns,
            "rows": [
                (figure, [by_region.get(column, "—") for column in columns])
                for figure, by_region in rows
            ],
        },
    )
