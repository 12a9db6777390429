"""Honest breakdowns (DESIGN.md §3): a breakdown says how much of the year's figure it covers,
an unknown cell is "—" and never a stored zero, and a figure without a target says how it
moved."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from tracker import services
from tracker.formatting import describe_changes, describe_coverage
from tracker.models import BreakdownRow, IndicatorValue

from .factories import (
    BreakdownRowFactory,
    DimensionValueFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    period_of,
)

pytestmark = pytest.mark.django_db
YEAR = 2021


@pytest.fixture
def sexes():
    return [
        DimensionValueFactory(name="Women and girls"),
        DimensionValueFactory(name="Men and boys"),
    ]


@pytest.fixture
def cases(plan, institution, sexes):
    indicator = IndicatorFactory(result__axis__plan=plan, code="3.0-a", name="GBV cases")
    indicator.dimensions.add(sexes[0].dimension)
    indicator.responsible_institutions.add(institution)
    q1 = IndicatorValueFactory(indicator=indicator, period=period_of(plan, YEAR, 1), value=100)
    for category in sexes:
        BreakdownRowFactory(indicator_value=q1, category=category, value=50)
    IndicatorValueFactory(indicator=indicator, period=period_of(plan, YEAR, 2), value=15_993)
    return indicator


def squeezed(response):
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_coverage_reads_as_a_share_of_the_figure():
    assert (
        describe_coverage("count", covered=Decimal(100), total=Decimal(16_093), quarters=[1])
        == "Broken down: 100 of 16,093 (0.6 %), from Q1"
    )
    assert describe_coverage("count", covered=Decimal(9), total=Decimal(9), quarters=[1, 2]) == ""
    assert describe_coverage("count", covered=None, total=Decimal(9), quarters=[]) == ""


def test_the_indicator_page_and_the_report_say_what_the_breakdown_covers(
    client_for, member, reporting_staff, plan, cases
):
    page = squeezed(
        client_for(member).get(
            reverse("indicator-detail", args=[plan.slug, cases.code]) + f"?year={YEAR}"
        )
    )
    assert "Broken down: 100 of 16,093 (0.6 %), from Q1" in page
    report = squeezed(
        client_for(reporting_staff).get(
            reverse("annual-report", args=[plan.slug, YEAR]) + "?draft=1"
        )
    )
    assert "Broken down: 100 of 16,093 (0.6 %), from Q1" in report


def test_an_empty_cell_is_unknown_not_zero(client_for, member, plan, cases, sexes):
    period = period_of(plan, YEAR, 3)
    women = f"i{cases.pk}-cell_{sexes[0].pk}_x"
    response = client_for(member).post(
        reverse("period-entry", args=[plan.slug, YEAR, 3]),
        {
            "action": "save",
            f"i{cases.pk}-version": "0",
            f"i{cases.pk}-value": "12",
            women: "12",
        },
    )
    assert response.status_code == 302
    value = IndicatorValue.objects.get(indicator=cases, period=period)
    cells = BreakdownRow.objects.filter(indicator_value=value)
    assert [(cell.category, cell.value) for cell in cells] == [(sexes[0], Decimal(12))]


def test_the_service_stores_only_the_cells_given(member, plan, cases, sexes):
    record = services.save_value(
        user=member,
        indicator=cases,
        period=period_of(plan, YEAR, 4),
        data=services.ValueInput(value=Decimal(7), breakdown={(sexes[1].pk, None): Decimal(7)}),
        expected_version=0,
    )
    assert list(record.breakdown_rows.values_list("category", flat=True)) == [sexes[1].pk]


@pytest.mark.parametrize(
    "unit, difference, trend, text",
    [
        ("count", Decimal(2714), "worse", "+2,714 on 2020 (worse)"),
        ("percentage", Decimal("-7.65"), "worse", "−7.7 points on 2020 (worse)"),
        ("amount", Decimal(0), "same", "±0 FCFA on 2020 (unchanged)"),
    ],
)
def test_a_change_reads_with_its_sign_unit_and_direction(unit, difference, trend, text):
    assert (
        describe_changes(
            unit,
            year=2021,
            baseline_year=None,
            from_previous=(difference, trend),
            from_baseline=None,
        )
        == text
    )


def test_a_change_on_the_baseline_names_its_year():
    assert describe_changes(
        "count",
        year=2021,
        baseline_year=2016,
        from_previous=None,
        from_baseline=(Decimal(3), "better"),
    ) == ("+3 on the 2016 baseline (better)")


def test_the_report_prints_a_breakdown_without_its_zero_cells(
    client_for, reporting_staff, plan, sexes
):
    regions = [DimensionValueFactory(name=f"Region {number}") for number in range(1, 6)]
    indicator = IndicatorFactory(result__axis__plan=plan, code="3.0-b", name="Survivors")
    value = IndicatorValueFactory(indicator=indicator, period=period_of(plan, YEAR, 1), value=7)
    BreakdownRowFactory(
        indicator_value=value, category=sexes[0], cross_category=regions[0], value=5
    )
    BreakdownRowFactory(
        indicator_value=value, category=sexes[1], cross_category=regions[2], value=2
    )
    for region in regions[1:]:
        BreakdownRowFactory(
            indicator_value=value, category=sexes[0], cross_category=region, value=0
        )
    report = squeezed(
        client_for(reporting_staff).get(
            reverse("annual-report", args=[plan.slug, YEAR]) + "?draft=1"
        )
    )
    row = report.split('data-code="3.0-b"')[1].split('class="indicator-row"')[0]
    assert 'Women and girls × Region 1: <span class="num">5</span>' in row
    assert 'Men and boys × Region 3: <span class="num">2</span>' in row
    assert "Region 2" not in row and "Region 5" not in row
    assert "4 other cells: 0" in row
