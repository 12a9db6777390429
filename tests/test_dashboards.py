"""Dashboards, the indicator table and page, and the regions view: their figures are the
progress module's, and their query counts do not grow with the data (DESIGN.md §3, §4, §7)."""

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from tracker import progress, services
from tracker.figures import year_figures
from tracker.models import BreakdownRow, Indicator, IndicatorValue

from .factories import (
    AnnualTargetFactory,
    DimensionFactory,
    DimensionValueFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    RegionFactory,
    ResultFactory,
    ScaleLevelFactory,
    period_of,
)

pytestmark = pytest.mark.django_db
Status = IndicatorValue.Status


def add_indicators(plan, count, *, year=2021):
    """`count` indicators of each aggregation, with validated, draft and other-year values."""
    result = ResultFactory(axis__plan=plan)
    made = []
    for index in range(count):
        cases = IndicatorFactory(result=result, name=f"Cases {index}")
        AnnualTargetFactory(indicator=cases, year=year, value=Decimal(100))
        for quarter, value in ((1, 20), (2, 30), (4, 25)):
            IndicatorValueFactory(
                indicator=cases, period=period_of(plan, year, quarter), value=Decimal(value)
            )
        IndicatorValueFactory(
            indicator=cases, period=period_of(plan, year, 3), value=Decimal(999), status="draft"
        )
        IndicatorValueFactory(indicator=cases, period=period_of(plan, year - 1, 4))
        share = IndicatorFactory(
            result=result, name=f"Share {index}", unit_kind="percentage", aggregation="ratio"
        )
        AnnualTargetFactory(indicator=share, year=year, value=Decimal(30))
        for quarter, (num, den) in ((1, (1, 2)), (2, (30, 40))):
            IndicatorValueFactory(
                indicator=share,
                period=period_of(plan, year, quarter),
                numerator=Decimal(num),
                denominator=Decimal(den),
            )
        level = IndicatorFactory(
            result=result, name=f"Level {index}", unit_kind="percentage", aggregation="latest"
        )
        IndicatorValueFactory(
            indicator=level, period=period_of(plan, year, 2), value=Decimal("12.5")
        )
        made += [cases, share, level]
    return made


def queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


# The figures


def test_year_figures_follow_the_progress_module(plan):
    cases, share, level = add_indicators(plan, 1)
    figures = {f.indicator.pk: f for f in year_figures(plan, Indicator.objects.all(), 2021)}
    # Validated quarters only: the draft 999 of Q3 is not counted.
    assert figures[cases.pk].annual_value == Decimal(75)
    assert [q.value if q else None for q in figures[cases.pk].quarter_list] == [
        Decimal(20),
        Decimal(30),
        None,
        Decimal(25),
    ]
    # Σnumerators / Σdenominators, never the mean of the percentages.
    assert figures[share.pk].annual_value == Decimal("73.8095")
    assert figures[level.pk].annual_value == Decimal("12.5")
    for figure in figures.values():
        expected = progress.status(
            aggregation=figure.indicator.aggregation,
            direction=figure.indicator.direction,
            unit_kind=figure.indicator.unit_kind,
            value=figure.annual_value,
            baseline=figure.indicator.baseline_value,
            annual_target=figure.annual_target,
            elapsed_quarters=4,
        )
        assert figure.status == expected
    assert figures[share.pk].status == progress.Status.ACHIEVED
    assert figures[level.pk].status == progress.Status.NO_TARGET


def test_breakdown_of_a_summed_indicator_adds_the_quarters(plan):
    indicator = IndicatorFactory(result=ResultFactory(axis__plan=plan))
    women = DimensionValueFactory(code="women", name="Women")
    for quarter, amount in ((1, 3), (2, 4)):
        value = IndicatorValueFactory(
            indicator=indicator, period=period_of(plan, 2021, quarter), value=Decimal(amount)
        )
        BreakdownRow.objects.create(indicator_value=value, category=women, value=Decimal(amount))
    [figure] = year_figures(plan, Indicator.objects.all(), 2021)
    assert [(cell.category.code, cell.value) for cell in figure.breakdown] == [
        ("women", Decimal(7))
    ]


def test_year_figures_run_a_fixed_number_of_queries(plan, django_assert_num_queries):
    add_indicators(plan, 3)
    # indicators with their targets, the validated quarters of the year and the year before,
    # breakdown rows; no scale among them, so no scale levels
    with django_assert_num_queries(3):
        year_figures(plan, Indicator.objects.all(), 2021)
    # Scales: their levels, in one more query for all of them.
    for _scale in range(2):
        scale = IndicatorFactory(result__axis__plan=plan, unit_kind="scale", aggregation="latest")
        ScaleLevelFactory.create_batch(3, indicator=scale)
    with django_assert_num_queries(4):
        figures = year_figures(plan, Indicator.objects.all(), 2021)
    with django_assert_num_queries(0):
        levels = [
            len(figure.indicator.scale_levels.all())
            for figure in figures
            if figure.indicator.unit_kind == Indicator.UnitKind.SCALE
        ]
    assert levels == [3, 3]


# The dashboard


def test_dashboard_counts_equal_the_progress_module(client_for, member, plan):
    add_indicators(plan, 2)
    response = client_for(member).get(f"/plans/{plan.slug}/?year=2021")
    figures = year_figures(plan, Indicator.objects.filter(plan=plan), 2021)
    expected = progress.count_statuses(f.status for f in figures)
    assert response.context["totals"] == expected
    [summary] = response.context["summaries"]
    assert summary.statuses == expected
    assert expected[progress.Status.ACHIEVED] == 2


@pytest.mark.parametrize(
    "path",
    ["/?year=2021", "/indicators/?year=2021", "/regions/?year=2021", "/framework/"],
    ids=["dashboard", "indicator-table", "regions", "framework"],
)
def test_pages_run_the_same_queries_at_two_sizes(client_for, member, plan, path):
    client = client_for(member)
    url = f"/plans/{plan.slug}{path}"
    add_indicators(plan, 1)
    client.get(url)
    small = queries(client, url)
    add_indicators(plan, 6)
    plan.end_year = 2025  # more periods too
    plan.save()
    services.generate_periods(plan=plan)
    assert queries(client, url) == small


def test_the_latest_figures_read_a_scale_with_its_level_once(client_for, member, plan):
    add_indicators(plan, 1)
    url = f"/plans/{plan.slug}/?year=2021"
    client = client_for(member)
    client.get(url)
    without = queries(client, url)
    for number in range(2):
        scale = IndicatorFactory(
            result__axis__plan=plan, code=f"9.{number}", unit_kind="scale", aggregation="latest"
        )
        ScaleLevelFactory(indicator=scale, value=2, name=f"Level of 9.{number}")
        IndicatorValueFactory(indicator=scale, period=period_of(plan, 2021, 4), value=2)
    page = client.get(url).content.decode()
    assert "2 – Level of 9.0" in page and "2 – Level of 9.1" in page
    assert queries(client, url) == without + 1  # the scales' levels, once for both


def test_indicator_page_queries_do_not_grow_with_values_or_periods(client_for, member, plan):
    cases = add_indicators(plan, 1)[0]
    client = client_for(member)
    url = f"/plans/{plan.slug}/indicators/{cases.code}/?year=2021"
    client.get(url)
    small = queries(client, url)
    for year in (2019, 2022, 2023):
        for quarter in (1, 2, 3):
            IndicatorValueFactory(indicator=cases, period=period_of(plan, year, quarter))
    plan.end_year = 2025
    plan.save()
    services.generate_periods(plan=plan)
    assert queries(client, url) == small


# Every page: session, user, the user's permissions (their own and their roles', one query:
# tracker/auth_backends.py), plan, the user's institution (navigation bar).
# Dashboard: axes, indicators (with their result: no scale levels, statuses need none), their
# validated quarters (two years), current period, completeness, budget planned, spent, by
# source, the plan's periods, the latest values' ids, those values (and the levels of the
# scales among them: none here), the years with a published report.
# Each page also counts what waits in the user's inbox (navigation bar).
# Indicator table: indicators, their validated quarters (two years), and the filter choices
# (axes, results, institutions, tags); scale levels only when a scale is shown (none here).
# Regions: the region categories, indicators, validated quarters, breakdowns (scale levels only
# when a scale is shown).
@pytest.mark.parametrize(
    "path, count",
    [("/?year=2021", 18), ("/indicators/?year=2021", 12), ("/regions/?year=2021", 10)],
    ids=["dashboard", "indicator-table", "regions"],
)
def test_pages_pin_their_query_count(client_for, member, plan, path, count):
    client = client_for(member)
    add_indicators(plan, 2)
    url = f"/plans/{plan.slug}{path}"
    client.get(url)
    assert queries(client, url) == count


# The indicator table


def test_indicator_table_filters(client_for, member, plan):
    add_indicators(plan, 1)
    client = client_for(member)
    base = f"/plans/{plan.slug}/indicators/?year=2021"

    def names(response):
        return sorted(row.record.indicator.name for row in response.context["table"].rows)

    assert names(client.get(base)) == ["Cases 0", "Level 0", "Share 0"]
    assert names(client.get(base + "&unit_kind=percentage")) == ["Level 0", "Share 0"]
    assert names(client.get(base + "&status=no_target")) == ["Level 0"]
    assert names(client.get(base + "&q=cases")) == ["Cases 0"]
    assert names(client.get(base + "&unit_kind=nonsense")) == ["Cases 0", "Level 0", "Share 0"]


def test_indicator_table_exports_the_filtered_rows(client_for, member, plan):
    add_indicators(plan, 1)
    client = client_for(member)
    base = f"/plans/{plan.slug}/indicators/?year=2021&unit_kind=percentage"
    response = client.get(base + "&export=csv")
    assert response["Content-Disposition"] == (
        'attachment; filename="indicators-mali-2019-2023-2021.csv"'
    )
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    by_name = {row[1]: row for row in rows[1:]}
    assert set(by_name) == {"Level 0", "Share 0"}
    assert by_name["Share 0"][12] == "73.8"  # one decimal, half up, as the pages show it

    workbook = load_workbook(io.BytesIO(client.get(base + "&export=xlsx").content))
    sheet = workbook.active
    assert sheet.freeze_panes == "A2"
    values = {row[1]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert values["Share 0"][12] == pytest.approx(0.738)
    share_cell = next(row[12] for row in sheet.iter_rows(min_row=2) if row[1].value == "Share 0")
    assert share_cell.number_format == "0.0%"


# The shipped Mali figures


def test_shipped_figures_appear_on_the_pages(client_for, reporting_staff, mali_plan):
    client = client_for(reporting_staff)
    table = client.get("/plans/mali-2019-2023/indicators/?year=2020").content.decode()
    assert "6,605" in table  # GBV cases recorded in 2020 (715 in Q1 + the rest in Q4)
    csa = client.get("/plans/mali-2019-2023/indicators/1.2-a/?year=2021").content.decode()
    assert "31.0 % (9/29)" in csa
    dashboard = client.get("/plans/mali-2019-2023/?year=2021").content.decode()
    assert "Participation" in dashboard and "Relief and recovery" in dashboard
    regions = client.get("/plans/mali-2019-2023/regions/?year=2020")
    assert regions.status_code == 200 and "Mopti" in regions.content.decode()


def test_regions_view_shows_each_region(client_for, member, plan):
    region_dimension = DimensionFactory(code="region", name="Region")
    mopti = DimensionValueFactory(
        dimension=region_dimension, code="mpt", name="Mopti", region=RegionFactory(name="Mopti")
    )
    gao = DimensionValueFactory(dimension=region_dimension, code="gao", name="Gao")
    indicator = IndicatorFactory(result=ResultFactory(axis__plan=plan), name="Mediators")
    indicator.dimensions.add(region_dimension)
    value = IndicatorValueFactory(
        indicator=indicator, period=period_of(plan, 2021, 2), value=Decimal(12)
    )
    BreakdownRow.objects.create(indicator_value=value, category=mopti, value=Decimal(9))
    BreakdownRow.objects.create(indicator_value=value, category=gao, value=Decimal(3))
    response = client_for(member).get(f"/plans/{plan.slug}/regions/?year=2021")
    [(figure, cells)] = response.context["rows"]
    columns = [column.name for column in response.context["columns"]]
    assert dict(zip(columns, cells, strict=True)) == {"Gao": "3", "Mopti": "9"}


def test_indicator_page_pins_its_query_count(client_for, member, plan):
    cases = add_indicators(plan, 2)[0]
    client = client_for(member)
    url = f"/plans/{plan.slug}/indicators/{cases.code}/?year=2021"
    client.get(url)
    # session, user, plan, the indicator, its institutions, tags and targets (no scale levels:
    # not a scale), its values, its breakdowns and their categories (the year's figure is made
    # from the values and targets already read: figures.indicator_year); the user's
    # permissions (their own and their roles', one query), the institution for the navigation
    # bar, and what waits in the user's inbox
    assert queries(client, url) == 12
