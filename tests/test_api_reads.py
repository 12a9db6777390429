"""What the API and the exports read runs a fixed number of queries, the same at two sizes of
data (DESIGN.md §7): the named reads they use, one test each, and the lists and exports as
served, pinned."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tracker.exchange import reads
from tracker.exchange.common import PeriodRange
from tracker.models import ComboMapping, Indicator, IndicatorValue

from .factories import (
    AlignmentTagFactory,
    AnnualTargetFactory,
    AxisFactory,
    BreakdownRowFactory,
    DimensionFactory,
    DimensionValueFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    PlanFactory,
    ResultFactory,
    SourceFactory,
    period_of,
)

pytestmark = pytest.mark.django_db

SIZES = [1, 6]


@pytest.fixture
def plan(institution):
    return PlanFactory(slug="nap", lead_institution=institution)


def fill(plan, institution, size):
    """`size` indicators with a tag, a target, a dimension, and a validated value with a
    breakdown and a citation in two quarters."""
    axis = AxisFactory(plan=plan)
    sex = DimensionFactory()
    women, men = DimensionValueFactory(dimension=sex), DimensionValueFactory(dimension=sex)
    ComboMapping.objects.get_or_create(category=women, defaults={"combo": "F"})
    for _ in range(size):
        indicator = IndicatorFactory(result=ResultFactory(axis=axis))
        indicator.responsible_institutions.add(institution)
        indicator.dimensions.add(sex)
        indicator.alignment_tags.add(AlignmentTagFactory())
        AnnualTargetFactory(indicator=indicator, year=2021)
        for quarter in (1, 2):
            value = IndicatorValueFactory(
                indicator=indicator,
                period=period_of(plan, 2021, quarter),
                value=Decimal(3),
                citation=SourceFactory(),
            )
            BreakdownRowFactory(indicator_value=value, category=women, value=Decimal(1))
            BreakdownRowFactory(indicator_value=value, category=men, value=Decimal(2))


def counted(action):
    with CaptureQueriesContext(connection) as queries:
        action()
    return len(queries)


def same_at_both_sizes(plan, institution, action):
    counts = []
    for size in SIZES:
        fill(plan, institution, size)
        counts.append(counted(action))
    assert counts[0] == counts[1], counts
    return counts[0]


def test_values_for_the_api(plan, institution):
    def read():
        for value in IndicatorValue.objects.for_api(plan):
            for row in value.breakdown_rows.all():
                assert row.category.dimension.code and value.citation.publisher

    assert same_at_both_sizes(plan, institution, read) == 2


def test_values_for_an_exchange(plan, institution):
    def read():
        period_ids = list(plan.reporting_periods.values_list("pk", flat=True))
        for value in IndicatorValue.objects.for_exchange(plan, period_ids):
            assert value.indicator.code and value.period.year
            for row in value.breakdown_rows.all():
                assert row.category.dimension.code

    assert same_at_both_sizes(plan, institution, read) == 3


def test_indicators_for_the_api(plan, institution):
    def read():
        for indicator in Indicator.objects.for_api(plan):
            assert indicator.result.axis.number and indicator.annual_targets.all()
            assert [tag.code for tag in indicator.alignment_tags.all()]
            for dimension in indicator.dimensions.all():
                assert list(dimension.values.all())
            list(indicator.responsible_institutions.all())
            list(indicator.scale_levels.all())

    assert same_at_both_sizes(plan, institution, read) == 7


def test_the_combination_mapping(plan, institution):
    assert same_at_both_sizes(plan, institution, lambda: ComboMapping.objects.lookup()) == 1


def test_what_the_dhis2_and_adx_exports_read(plan, institution):
    whole_plan = PeriodRange.parse("", "", plan)
    assert same_at_both_sizes(plan, institution, lambda: reads.values_input(plan, whole_plan)) == 5


def test_what_the_iati_export_reads(plan, institution):
    # Three queries a year of the plan (tracker.figures, as every page showing a year; a fourth
    # for the scales' levels when the plan has scales, which this one has not).
    count = same_at_both_sizes(plan, institution, lambda: reads.results_input(plan))
    assert count == 11 + 3 * len(plan.years)


# As served


@pytest.fixture
def as_secretariat(client_for, secretariat):
    return client_for(secretariat)


@pytest.mark.parametrize(
    "url, queries",
    [
        # The session and its user, their permissions (one query), the plan: then the read.
        ("/api/plans/nap/values/", 7),
        ("/api/plans/nap/indicators/", 12),
        ("/api/plans/nap/exports/dhis2/", 9),
        ("/api/plans/nap/exports/adx/", 9),
        ("/api/plans/nap/exports/iati/", 30),
    ],
)
def test_the_api_pins_its_query_counts(plan, institution, as_secretariat, url, queries):
    def get():
        assert as_secretariat.get(url).status_code == 200

    assert same_at_both_sizes(plan, institution, get) == queries
