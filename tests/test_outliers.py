"""The outlier band (issue 14): the arithmetic to the digit (progress.median, progress.outlier),
the warning in words, and the reads that feed it: the last four validated values of one value
(the review page) and the validated figures of a page of the queue, each in a fixed number of
queries whatever the history's length."""

from decimal import Decimal

import pytest
from django.utils import translation

from tracker import progress, review
from tracker.models import IndicatorValue

from .factories import IndicatorFactory, IndicatorValueFactory, PlanFactory, period_of

pytestmark = pytest.mark.django_db

D = Decimal


# The median


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([D(24)], D(24)),
        ([D(30), D(20), D(24)], D(24)),  # unsorted
        ([D(20), D(24), D(30), D(28)], D(26)),  # (24 + 28) / 2
        ([D(3), D(4)], D("3.5")),
        ([D("28.5714"), D("31.03")], D("29.8007")),
        ([D(0), D(0), D(5)], D(0)),
        ([D(5), None, D(7)], D(6)),  # an empty figure is left out
        ([1, 2, 3], D(2)),  # plain numbers are read as Decimals
    ],
)
def test_the_median_is_the_middle_or_the_mean_of_the_two_middles(values, expected):
    result = progress.median(values)
    assert result == expected
    assert isinstance(result, Decimal)


def test_no_median_without_values():
    assert progress.median([]) is None
    assert progress.median([None]) is None
    assert progress.median(iter([])) is None


# The band


RECENT = [D(20), D(24), D(30), D(28)]  # median 26


@pytest.mark.parametrize(
    ("value", "above"),
    [
        (D(79), True),  # over 3 × 26 = 78
        (D("78.01"), True),
        (D(8), False),  # under 26 / 3 = 8.666…
        (D("8.66"), False),
        (D(0), False),
    ],
)
def test_a_figure_outside_the_band_is_an_outlier(value, above):
    found = progress.outlier(value, RECENT, D(3))
    assert found == progress.Outlier(value=value, median=D(26), recent=4, above=above)


@pytest.mark.parametrize("value", [D(78), D("8.67"), D(26), D(9), D(50)])
def test_a_figure_inside_the_band_or_on_its_edge_is_not(value):
    assert progress.outlier(value, RECENT, D(3)) is None


def test_the_edges_belong_to_the_band():
    # Median 24, factor 3: 72 and 8 pass, just beyond them does not.
    recent = [D(20), D(24), D(30)]
    assert progress.outlier(D(72), recent, 3) is None
    assert progress.outlier(D(8), recent, 3) is None
    assert progress.outlier(D("72.01"), recent, 3).above is True
    assert progress.outlier(D("7.99"), recent, 3).above is False


def test_the_ratio_is_the_figure_over_the_median_unrounded():
    found = progress.outlier(D(100), [D(20), D(24), D(30)], D(3))
    assert found.ratio == D(100) / D(24)
    assert str(found.ratio).startswith("4.16666")


def test_the_plans_factor_sets_the_band():
    recent = [D(10), D(10)]
    assert progress.outlier(D(25), recent, D(3)) is None
    assert progress.outlier(D(25), recent, D("2.5")) is None  # 25 = 2.5 × 10: on the edge
    assert progress.outlier(D(26), recent, D("2.5")).above
    assert progress.outlier(D(21), recent, D(2)).above


def test_fewer_than_two_earlier_values_give_no_warning():
    assert progress.outlier(D(1_000_000), [], D(3)) is None
    assert progress.outlier(D(1_000_000), [D(1)], D(3)) is None
    assert progress.outlier(D(1_000_000), [D(1), None], D(3)) is None
    assert progress.outlier(D(1_000_000), [D(1), D(1)], D(3)).above


def test_no_figure_gives_no_warning():
    assert progress.outlier(None, RECENT, D(3)) is None


def test_a_zero_median_flags_any_figure_above_zero_and_has_no_ratio():
    found = progress.outlier(D(5), [D(0), D(0), D(7)], D(3))
    assert found == progress.Outlier(value=D(5), median=D(0), recent=3, above=True)
    assert found.ratio is None
    assert progress.outlier(D(0), [D(0), D(0)], D(3)) is None


def test_percentages_are_compared_as_percentages():
    shares = [D("28.5714"), D("31.0345"), D("30")]  # median 30
    assert progress.outlier(D("90.0001"), shares, D(3)).above
    assert progress.outlier(D(90), shares, D(3)) is None
    assert progress.outlier(D("9.9999"), shares, D(3)).above is False


def test_the_band_is_the_same_for_an_indicator_that_should_decrease():
    # A sudden fall of a "decrease is better" figure deserves a second look too: the band does
    # not depend on the direction.
    falling = progress.outlier(D(100), [D(900), D(1000), D(1100)], D(3))
    assert falling == progress.Outlier(value=D(100), median=D(1000), recent=3, above=False)


@pytest.mark.parametrize("factor", [D(1), D("0.5"), D(0)])
def test_a_band_that_is_not_a_band_is_refused(factor):
    with pytest.raises(ValueError, match="factor above 1"):
        progress.outlier(D(5), RECENT, factor)


# In words


@pytest.mark.parametrize(
    ("unit", "value", "recent", "english", "french"),
    [
        (
            "count",
            D(100),
            [D(20), D(24), D(30)],
            "4.2 times the median of the last 3 validated values (24)",
            "4,2",
        ),
        (
            "count",
            D(15993),
            [D(100), D(120), D(110), D(90)],
            "152.3 times the median of the last 4 validated values (105)",
            "152,3",
        ),
        (
            "count",
            D(2),
            [D(20), D(24), D(30)],
            "only 8.3 % of the median of the last 3 validated values (24)",
            "8,3\u00a0%",
        ),
        (
            "percentage",
            D(95),
            [D("28.5714"), D("31.0345")],
            "3.2 times the median of the last 2 validated values (29.8 %)",
            "29,8\u00a0%",
        ),
        (
            "amount",
            D(5_000_000),
            [D(1_000_000), D(1_200_000)],
            "4.5 times the median of the last 2 validated values (1,100,000 FCFA)",
            "1\u00a0100\u00a0000 FCFA",
        ),
        (
            "count",
            D(12),
            [D(0), D(0), D(3)],
            "12 where the median of the last 3 validated values is 0",
            None,
        ),
    ],
)
def test_the_warning_says_how_far_and_against_what(unit, value, recent, english, french):
    found = progress.outlier(value, recent, D(3))
    with translation.override("en"):
        assert review.describe_outlier(unit, found) == english
    if french:  # the figures in the French way (the sentences are translated later)
        with translation.override("fr"):
            assert french in review.describe_outlier(unit, found)


# The reads


@pytest.fixture
def plan():
    return PlanFactory(slug="nap")


def history(indicator, figures, start_year=2019):
    """Validated values of `indicator` in consecutive quarters from Q1 of `start_year`."""
    values = []
    for index, figure in enumerate(figures):
        period = period_of(indicator.plan, start_year + index // 4, 1 + index % 4)
        values.append(IndicatorValueFactory(indicator=indicator, period=period, value=D(figure)))
    return values


def submitted(indicator, year, quarter, figure):
    return IndicatorValueFactory(
        indicator=indicator,
        period=period_of(indicator.plan, year, quarter),
        value=D(figure),
        status=IndicatorValue.Status.SUBMITTED,
    )


def test_the_last_four_validated_values_before_the_period_oldest_first(plan):
    indicator = IndicatorFactory(result__axis__plan=plan)
    values = history(indicator, [10, 11, 12, 13, 14, 15])  # 2019-Q1 … 2020-Q2
    IndicatorValueFactory(
        indicator=indicator,
        period=period_of(plan, 2020, 3),
        value=D(99),
        status=IndicatorValue.Status.RETURNED,
        return_reason="Wrong register",
    )  # not validated: left out
    IndicatorValueFactory(indicator=indicator, period=period_of(plan, 2019, None), value=D(50))
    history(IndicatorFactory(result__axis__plan=plan), [1, 2, 3, 4, 5])  # another indicator
    value = submitted(indicator, 2020, 4, 100)
    IndicatorValueFactory(indicator=indicator, period=period_of(plan, 2021, 1), value=D(7))
    assert IndicatorValue.objects.validated_before(value) == values[2:6]
    assert IndicatorValue.objects.validated_before(value, count=2) == values[4:6]


def test_a_whole_year_value_is_measured_against_whole_years_only(plan):
    indicator = IndicatorFactory(result__axis__plan=plan)
    history(indicator, [10, 11, 12, 13])  # quarters of 2019
    years = [
        IndicatorValueFactory(indicator=indicator, period=period_of(plan, year, None), value=D(v))
        for year, v in ((2019, 40), (2020, 44))
    ]
    value = submitted(indicator, 2021, None, 200)
    assert IndicatorValue.objects.validated_before(value) == years
    quarter = submitted(indicator, 2020, 1, 12)
    assert [v.value for v in IndicatorValue.objects.validated_before(quarter)] == [
        D(10),
        D(11),
        D(12),
        D(13),
    ]


def test_the_queues_figures_give_the_same_recent_values_as_the_page(plan):
    indicator = IndicatorFactory(result__axis__plan=plan)
    history(indicator, [10, 11, 12, 13, 14, 15, 16])
    IndicatorValueFactory(indicator=indicator, period=period_of(plan, 2019, None), value=D(50))
    figures = IndicatorValue.objects.validated_figures([indicator.pk])[indicator.pk]
    assert figures[3:6] == [(2019, 4, D(13)), (2019, None, D(50)), (2020, 1, D(14))]
    for year, quarter in ((2020, 4), (2021, 1), (2022, 3), (2020, None), (2021, None)):
        value = submitted(indicator, year, quarter, 1)
        assert review.recent_figures(figures, value.period) == [
            other.value for other in IndicatorValue.objects.validated_before(value)
        ]
        value.delete()


def test_the_values_beside_a_quarter_are_the_previous_one_and_a_year_earlier(plan):
    indicator = IndicatorFactory(result__axis__plan=plan)
    q4 = IndicatorValueFactory(indicator=indicator, period=period_of(plan, 2020, 4))
    q1 = IndicatorValueFactory(indicator=indicator, period=period_of(plan, 2020, 1))
    IndicatorValueFactory(indicator=indicator, period=period_of(plan, 2020, 2))
    value = submitted(indicator, 2021, 1, 5)
    assert IndicatorValue.objects.beside(value) == {(2020, 4): q4, (2020, 1): q1}
    year = IndicatorValueFactory(indicator=indicator, period=period_of(plan, 2020, None))
    whole = submitted(indicator, 2021, None, 5)
    assert IndicatorValue.objects.beside(whole) == {(2020, None): year}


@pytest.mark.parametrize("size", [1, 5])
@pytest.mark.parametrize("read", ["validated_before", "beside"])
def test_a_values_reads_are_one_query_whatever_the_history(
    plan, size, read, django_assert_num_queries
):
    indicator = IndicatorFactory(result__axis__plan=plan)
    history(indicator, range(1, 1 + 3 * size))
    after = 3 * size  # the quarter after the last one of the history
    value = submitted(indicator, 2019 + after // 4, 1 + after % 4, 5)
    with django_assert_num_queries(1):
        found = getattr(IndicatorValue.objects, read)(value)
        found = found.values() if isinstance(found, dict) else found
        assert [other.period.label for other in found]  # periods come with them


@pytest.mark.parametrize("size", [1, 5])
def test_validated_figures_is_one_query_whatever_the_indicators(
    plan, size, django_assert_num_queries
):
    indicators = [IndicatorFactory(result__axis__plan=plan) for _ in range(size)]
    for indicator in indicators:
        history(indicator, range(1, 1 + 2 * size))
    with django_assert_num_queries(1):
        figures = IndicatorValue.objects.validated_figures([i.pk for i in indicators])
    assert sum(len(rows) for rows in figures.values()) == 2 * size * size


@pytest.mark.parametrize("size", [1, 5])
def test_the_queue_warnings_are_one_query_for_a_page(plan, size, django_assert_num_queries):
    rows = []
    for _ in range(size):
        indicator = IndicatorFactory(result__axis__plan=plan)
        history(indicator, [20, 24, 30])
        rows.append(submitted(indicator, 2021, 1, 100))
        rows.append(submitted(indicator, 2021, 2, 25))
    rows = list(
        IndicatorValue.objects.filter(pk__in=[r.pk for r in rows]).select_related(
            "indicator", "period"
        )
    )
    with translation.override("en"), django_assert_num_queries(1):
        warnings = review.queue_warnings(rows, plan.outlier_factor)
    assert warnings == {
        row.pk: "4.2 times the median of the last 3 validated values (24)"
        for row in rows
        if row.value == 100
    }
    assert len(warnings) == size


def test_milestones_and_scales_get_no_warning(plan):
    milestone = IndicatorFactory(
        result__axis__plan=plan, unit_kind="milestone", aggregation="latest"
    )
    history(milestone, [0, 0, 0])
    value = submitted(milestone, 2021, 1, 1)
    value = IndicatorValue.objects.select_related("indicator", "period").get(pk=value.pk)
    assert review.queue_warnings([value], D(3)) == {}
    assert review.outlier_of(value, [D(0), D(0), D(0)], D(3)) is None
