"""The indicator page's figure (figures.indicator_year, from the values and targets the page
has already read) is year_figures' figure for the same indicator and year, field by field:
the page and the tables, dashboards and reports never disagree (DESIGN.md §3)."""

import dataclasses
from decimal import Decimal

import pytest

from tracker import progress
from tracker.figures import indicator_year, year_figures
from tracker.models import Indicator, IndicatorValue

from .factories import (
    AnnualTargetFactory,
    BreakdownRowFactory,
    DimensionFactory,
    DimensionValueFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    ResultFactory,
    participation_scale,
    period_of,
)

pytestmark = pytest.mark.django_db
Qualifier = progress.Qualifier
Status = IndicatorValue.Status
YEAR = 2021


def as_read(figure):
    """Every field of an IndicatorYear, and what tables read from them, as its repr: so that
    Decimal("75.0000") is not Decimal("75") and the quarters' order (Q1 to Q4, the whole year
    last) counts."""
    fields = {
        field.name: repr(getattr(figure, field.name))
        for field in dataclasses.fields(figure)
        if field.name != "indicator"
    }
    return fields | {
        "indicator": figure.indicator.pk,
        "changes": repr(figure.changes),
        "basis": repr(figure.basis),
        "quarter_list": repr(figure.quarter_list),
        "status_rank": figure.status_rank,
    }


def assert_same(page, reference):
    assert as_read(page) == as_read(reference)
    # repr names a category, == compares it (DimensionValue by id).
    assert page.breakdown == reference.breakdown


def page_inputs(indicator):
    """The indicator and its values as its page reads them."""
    indicator = Indicator.objects.for_page().get(pk=indicator.pk)
    return indicator, IndicatorValue.objects.history_of(indicator)


def value(indicator, year, quarter, figure=None, **fields):
    return IndicatorValueFactory(
        indicator=indicator,
        period=period_of(indicator.plan, year, quarter),
        value=None if figure is None else Decimal(figure),
        **fields,
    )


def cells(indicator_value, *cells):
    for category, cross, figure in cells:
        BreakdownRowFactory(
            indicator_value=indicator_value,
            category=category,
            cross_category=cross,
            value=Decimal(figure),
        )


@pytest.fixture
def world(plan):
    """An indicator of each unit and aggregation, with what the figures must tell apart."""
    result = ResultFactory(axis__plan=plan)
    women, men = (DimensionValueFactory(name=name) for name in ("Women", "Men"))
    region = DimensionFactory(code="region", name="Region")
    mopti, gao = (DimensionValueFactory(dimension=region, name=name) for name in ("Mopti", "Gao"))

    def indicator(**fields):
        return IndicatorFactory(result=result, **fields)

    cases = indicator(baseline_value=Decimal(10), baseline_year=2018, target_value=400)
    AnnualTargetFactory(indicator=cases, year=2020, value=Decimal(100))
    AnnualTargetFactory(indicator=cases, year=YEAR, value=Decimal(150))
    for quarter in (1, 2, 3, 4):
        value(cases, 2020, quarter, 10 * quarter)
    q1 = value(cases, YEAR, 1, 20)
    cells(q1, (women, None, 12), (men, None, 8), (women, mopti, 5), (men, gao, "2.5"))
    q2 = value(cases, YEAR, 2, 30, qualifier=Qualifier.AT_LEAST)
    cells(q2, (women, None, 30))
    cells(value(cases, YEAR, 3, 999, status=Status.DRAFT), (women, None, 999))
    value(cases, YEAR, 4, "25.0001", status=Status.SUBMITTED)
    value(cases, 2022, 1, 7, status=Status.RETURNED, return_reason="Check the register")
    value(cases, 2023, 2, 40)

    amount = indicator(
        unit_kind="amount", direction="decrease", baseline_value=1000, baseline_year=2019
    )
    value(amount, 2020, 2, 900, qualifier=Qualifier.ABOUT)
    value(amount, YEAR, 1, 400)
    value(amount, YEAR, 3, 450)

    share = indicator(unit_kind="percentage", aggregation="ratio", target_value=50)
    AnnualTargetFactory(indicator=share, year=YEAR, value=Decimal(30))
    value(share, 2020, 3, numerator=Decimal(1), denominator=Decimal(3))
    value(share, YEAR, 1, numerator=Decimal(1), denominator=Decimal(2))
    value(share, YEAR, 2, numerator=Decimal(30), denominator=Decimal(40))
    value(share, YEAR, 3, "12.5")  # a percentage alone: left out of the ratio

    level = indicator(percentage=True)
    AnnualTargetFactory(indicator=level, year=2022, value=Decimal(20))
    value(level, YEAR, 2, "12.5")  # 2022: the year before only

    milestone = indicator(unit_kind="milestone", aggregation="latest")
    for year in (2020, YEAR):
        AnnualTargetFactory(indicator=milestone, year=year, value=Decimal(1))
    value(milestone, 2020, 4, 0)
    value(milestone, YEAR, 3, 1)

    scale = participation_scale(result, code="1.0-s")
    AnnualTargetFactory(indicator=scale, year=YEAR, value=Decimal(2))
    value(scale, YEAR, 1, 1)
    value(scale, YEAR, 3, 2, qualifier=Qualifier.AT_MOST)

    rank = indicator(
        unit_kind="rank", aggregation="latest", direction="decrease", reporting_frequency="annual"
    )
    AnnualTargetFactory(indicator=rank, year=YEAR, value=Decimal(120))
    value(rank, 2020, None, 139)
    value(rank, YEAR, None, 131)

    gbv = indicator(direction="decrease", reporting_frequency="annual")
    AnnualTargetFactory(indicator=gbv, year=2020, value=Decimal(7000))
    value(gbv, 2019, None, 3330)
    whole_2020 = value(gbv, 2020, None, 6605, qualifier=Qualifier.AT_LEAST)
    cells(whole_2020, (women, None, 6000), (men, None, 605))
    cells(value(gbv, 2020, 1, 715), (women, None, 700), (men, None, 15))
    value(gbv, YEAR, None, 5000)  # no cells of its own: the quarters' describe part of it
    cells(value(gbv, YEAR, 2, 800), (women, mopti, 500), (men, None, 300))

    latest = indicator(aggregation="latest")
    AnnualTargetFactory(indicator=latest, year=YEAR, value=Decimal(16))
    cells(value(latest, YEAR, 1, 10), (women, None, 10))
    cells(value(latest, YEAR, 3, 12), (women, None, 7), (men, None, 5))

    empty = indicator()
    value(empty, YEAR, 1)  # validated with no figure: counts as no value

    early = indicator()
    value(early, 2019, 4, 3)
    return plan


def test_the_page_figure_is_the_figure_of_the_tables(world, django_assert_max_num_queries):
    seen = []
    for indicator in Indicator.objects.filter(plan=world).order_by("pk"):
        indicator, values = page_inputs(indicator)
        for year in world.years:
            # the breakdown cells and their categories, nothing the page has already read
            with django_assert_max_num_queries(2):
                page = indicator_year(world, indicator, values, year)
            [reference] = year_figures(
                world, Indicator.objects.filter(pk=indicator.pk), year, with_related=False
            )
            assert_same(page, reference)
            assert page.indicator is indicator
            seen.append(page)
    # The world holds every case it is meant to compare.
    assert {figure.status for figure in seen} == set(progress.Status)
    assert {figure.basis for figure in seen if figure.annual_value is not None} == set(
        progress.Basis
    )
    assert {figure.annual_qualifier for figure in seen} >= {
        Qualifier.EXACT,
        Qualifier.AT_LEAST,
        Qualifier.ABOUT,
        Qualifier.AT_MOST,
    }
    assert any(f.annual_value is None and f.previous_value is not None for f in seen)
    assert any(f.whole_year and f.breakdown_quarters == () and f.breakdown for f in seen)
    assert any(f.whole_year and f.breakdown_quarters for f in seen)
    assert any(cell.cross_category for f in seen for cell in f.breakdown)
    assert any(len(f.quarters) > 1 for f in seen)


def test_the_shipped_figures_are_the_same_on_the_page(mali_plan):
    indicators = Indicator.objects.filter(plan=mali_plan)
    references = {
        year: {f.indicator.pk: f for f in year_figures(mali_plan, indicators, year)}
        for year in mali_plan.years
    }
    for indicator in indicators:
        indicator, values = page_inputs(indicator)
        for year, figures in references.items():
            assert_same(indicator_year(mali_plan, indicator, values, year), figures[indicator.pk])
