"""Every named read over many records, on the QuerySet of the model it returns, runs a fixed
number of queries: the same at two sizes of data. The counts are pinned here, one test per
read, so that a page's count can be traced to the read that changed."""

import datetime
from decimal import Decimal

import pytest

from tracker.completeness import completeness_grid
from tracker.figures import read_scale_levels
from tracker.models import (
    Activity,
    CommitteeMeeting,
    Indicator,
    IndicatorValue,
    Institution,
    ScaleLevel,
)

from .factories import (
    ActivityFactory,
    ActivityProgressFactory,
    AnnualTargetFactory,
    AxisFactory,
    BreakdownRowFactory,
    CommitteeMeetingFactory,
    DimensionFactory,
    DimensionValueFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    InstitutionFactory,
    MeetingAttendanceFactory,
    OpportunityFactory,
    PlanFactory,
    ResultFactory,
    ScaleLevelFactory,
    period_of,
)

pytestmark = pytest.mark.django_db

Status = IndicatorValue.Status
SIZES = [1, 6]


@pytest.fixture
def plan():
    return PlanFactory(slug="nap")


@pytest.fixture
def institution():
    return InstitutionFactory(acronym="MPFEF")


def framework(plan, institution, size):
    """`size` results, each with an opportunity, two indicators (one with a sub-indicator, a
    scale, a target, a breakdown dimension), values in two quarters and an activity."""
    axis = AxisFactory(plan=plan)
    sex = DimensionFactory()
    women, men = DimensionValueFactory(dimension=sex), DimensionValueFactory(dimension=sex)
    q1, q2 = period_of(plan, 2021, 1), period_of(plan, 2021, 2)
    for _ in range(size):
        result = ResultFactory(axis=axis)
        opportunity = OpportunityFactory(result=result)
        parent = IndicatorFactory(result=result)
        child = IndicatorFactory(result=result, opportunity=opportunity, parent=parent)
        for indicator in (parent, child):
            indicator.responsible_institutions.add(institution)
            indicator.dimensions.add(sex)
            ScaleLevelFactory(indicator=indicator)
            AnnualTargetFactory(indicator=indicator, year=2021)
            value = IndicatorValueFactory(indicator=indicator, period=q1, value=Decimal(3))
            BreakdownRowFactory(indicator_value=value, category=women, value=Decimal(1))
            BreakdownRowFactory(indicator_value=value, category=men, value=Decimal(2))
            IndicatorValueFactory(indicator=indicator, period=q2, status=Status.SUBMITTED)
        activity = ActivityFactory(opportunity=opportunity, lead_institution=institution)
        ActivityProgressFactory(activity=activity, period=q1)
    return q1


def touch(indicators):
    """Everything a page reads from the entry rows, so that a lazy query would be counted."""
    for indicator in indicators:
        list(indicator.scale_levels.all())
        for dimension in indicator.dimensions.all():
            list(dimension.values.all())
        if indicator.record:
            list(indicator.record.breakdown_rows.all())
            list(indicator.record.evidence_files.all())
            indicator.record.period.label  # noqa: B018


@pytest.mark.parametrize("size", SIZES)
def test_framework_tree(django_assert_num_queries, plan, institution, size):
    framework(plan, institution, size)
    with django_assert_num_queries(8):
        axes = Indicator.objects.framework_tree(plan)
        indicators = [
            indicator
            for axis in axes
            for result in axis.results.all()
            for indicator in result.tree_indicators
            + [i for o in result.opportunities.all() for i in o.tree_indicators]
        ]
        for indicator in indicators:
            list(indicator.scale_levels.all())
            indicator.latest_value and indicator.latest_value.period.label  # noqa: B018
    # Sub-indicators hang under their parent, not under the opportunity.
    assert len(indicators) == size and all(len(i.children) == 1 for i in indicators)


@pytest.mark.parametrize("size", SIZES)
def test_indicators_for_entry(django_assert_num_queries, plan, institution, size):
    period = framework(plan, institution, size)
    with django_assert_num_queries(10):
        indicators = Indicator.objects.for_entry(period, institution)
        touch(indicators)
    assert len(indicators) == 2 * size
    assert all(i.record and i.year_target and i.last_validated for i in indicators)


def test_indicators_for_entry_in_the_whole_year_are_the_annual_ones(plan, institution):
    framework(plan, institution, 1)
    annual = IndicatorFactory(result=plan.axes.get().results.get(), reporting_frequency="annual")
    annual.responsible_institutions.add(institution)
    whole_year = plan.reporting_periods.get(year=2021, quarter=None)
    assert Indicator.objects.for_entry(whole_year, institution) == [annual]


def test_indicators_for_entry_are_only_the_institutions(plan, institution):
    period = framework(plan, institution, 1)
    assert Indicator.objects.for_entry(period, InstitutionFactory()) == []


@pytest.mark.parametrize("size", SIZES)
def test_activities_for_entry(django_assert_num_queries, plan, institution, size):
    period = framework(plan, institution, size)
    with django_assert_num_queries(2):
        activities = Activity.objects.for_entry(period, institution)
        [activity.opportunity.code for activity in activities]
    assert len(activities) == size and all(a.record for a in activities)


@pytest.mark.parametrize("size", SIZES)
def test_awaiting_validation(django_assert_num_queries, plan, institution, size):
    framework(plan, institution, size)
    with django_assert_num_queries(2):
        values = list(IndicatorValue.objects.awaiting_validation(plan))
        for value in values:
            value.indicator.code, value.period.label, value.entered_by  # noqa: B018
            assert [i.short_name for i in value.indicator.responsible] == [institution.acronym]
    assert len(values) == 2 * size and {v.status for v in values} == {Status.SUBMITTED}


@pytest.mark.parametrize("size", SIZES)
def test_periods_with_value_counts(django_assert_num_queries, plan, institution, size):
    framework(plan, institution, size)
    with django_assert_num_queries(1):
        periods = list(plan.reporting_periods.chronological().with_value_counts())
    q1, q2 = (p for p in periods if p.year == 2021 and p.quarter in (1, 2))
    assert (q1.validated_count, q1.submitted_count) == (2 * size, 0)
    assert (q2.validated_count, q2.submitted_count) == (0, 2 * size)


@pytest.mark.parametrize("size", SIZES)
def test_meetings_of_a_period(django_assert_num_queries, plan, size):
    period = period_of(plan, 2021, 1)
    for day in range(1, size + 1):
        meeting = CommitteeMeetingFactory(period=period, date=datetime.date(2021, 1, day))
        MeetingAttendanceFactory(meeting=meeting, women_present=3, men_present=1)
        MeetingAttendanceFactory(meeting=meeting, women_present=2, men_present=0)
    with django_assert_num_queries(2):
        meetings = list(CommitteeMeeting.objects.of_period(period))
        [line.institution.name for m in meetings for line in m.attendance.all()]
    assert len(meetings) == size and {(m.women_total, m.men_total) for m in meetings} == {(5, 1)}


@pytest.mark.parametrize("size", SIZES)
def test_the_reads_behind_completeness(django_assert_num_queries, plan, institution, size):
    framework(plan, institution, size)
    periods = list(plan.reporting_periods.filter(year=2021))
    with django_assert_num_queries(4):
        responsible = list(Institution.objects.responsible_in(plan))
        counts = IndicatorValue.objects.status_counts_by_institution(plan, periods)
        due = Indicator.objects.due_by_frequency(plan)
        reported = IndicatorValue.objects.reported_by_period(plan, periods)
    q1, q2 = period_of(plan, 2021, 1), period_of(plan, 2021, 2)
    assert [(i, i.due_quarterly, i.due_annual) for i in responsible] == [(institution, 2 * size, 0)]
    assert counts[(institution.pk, q1.pk)]["validated"] == 2 * size
    assert counts[(institution.pk, q2.pk)]["submitted"] == 2 * size
    assert due == {"quarterly": 2 * size, "annual": 0}
    assert reported == {q1.pk: 2 * size, q2.pk: 2 * size}


def test_an_in_year_observation_is_not_an_annual_indicators_report(plan, institution):
    result = ResultFactory(axis=AxisFactory(plan=plan))
    annual = IndicatorFactory(result=result, reporting_frequency="annual")
    annual.responsible_institutions.add(institution)
    IndicatorValueFactory(indicator=annual, period=period_of(plan, 2021, 3))
    periods = list(plan.reporting_periods.filter(year=2021))
    assert IndicatorValue.objects.reported_by_period(plan, periods) == {}
    whole_year = plan.reporting_periods.get(year=2021, quarter=None)
    IndicatorValueFactory(indicator=annual, period=whole_year)
    assert IndicatorValue.objects.reported_by_period(plan, periods) == {whole_year.pk: 1}


@pytest.mark.parametrize("size", SIZES)
def test_completeness_grid(django_assert_num_queries, plan, institution, size):
    framework(plan, institution, size)
    periods = list(plan.reporting_periods.chronological())
    with django_assert_num_queries(4):
        grid = completeness_grid(plan, periods, 2021)
    [row] = grid["rows"]
    assert [cell["reported"] for cell in row["cells"][:2]] == [2 * size, 2 * size]


@pytest.mark.parametrize("size", SIZES)
def test_latest_validated_by_indicator(django_assert_num_queries, plan, institution, size):
    framework(plan, institution, size)
    indicators = Indicator.objects.filter(plan=plan)
    with django_assert_num_queries(3):
        latest = IndicatorValue.objects.latest_validated_by_indicator(indicators)
        [value.period.label for value in latest.values()]
    assert len(latest) == 2 * size
    assert {value.period.quarter for value in latest.values()} == {1}
    # Given the ids of indicators already read: the same values, one query fewer.
    ids = [indicator.pk for indicator in indicators]
    with django_assert_num_queries(2):
        by_ids = IndicatorValue.objects.latest_validated_by_indicator(ids)
        [value.period.label for value in by_ids.values()]
    assert by_ids == latest


@pytest.mark.parametrize("size", SIZES)
def test_latest_validated(django_assert_num_queries, plan, institution, size):
    framework(plan, institution, size)
    # the plan's periods, the ten ids, those values with their indicator, period and
    # validator
    with django_assert_num_queries(3):
        latest = list(IndicatorValue.objects.latest_validated(plan))
        for value in latest:
            value.indicator.code, value.period.label, value.validated_by  # noqa: B018
    assert len(latest) == min(2 * size, 10)
    assert {value.status for value in latest} == {Status.VALIDATED}


def test_latest_validated_are_the_newest_of_the_plan_only(plan):
    indicator = IndicatorFactory(result=ResultFactory(axis=AxisFactory(plan=plan)))
    other_plan = PlanFactory(slug="other")
    elsewhere = IndicatorFactory(result=ResultFactory(axis=AxisFactory(plan=other_plan)))

    def at(day):
        return datetime.datetime(2022, 1, day, tzinfo=datetime.UTC)

    old, new, tie_first, tie_second = (
        IndicatorValueFactory(indicator=indicator, period=period_of(plan, 2021, quarter))
        for quarter in (1, 2, 3, 4)
    )
    for value, day in ((old, 1), (new, 5), (tie_first, 3), (tie_second, 3)):
        IndicatorValue.objects.filter(pk=value.pk).update(validated_at=at(day))
    # Newer, but not validated, or not the plan's: never listed.
    for quarter, status in ((1, Status.DRAFT), (2, Status.SUBMITTED)):
        IndicatorValueFactory(
            indicator=indicator, period=period_of(plan, 2022, quarter), status=status
        )
    IndicatorValueFactory(
        indicator=indicator,
        period=period_of(plan, 2022, 4),
        status=Status.RETURNED,
        return_reason="Check the source",
    )
    IndicatorValueFactory(indicator=elsewhere, period=period_of(other_plan, 2021, 1))
    IndicatorValue.objects.exclude(status=Status.VALIDATED).update(validated_at=at(9))
    IndicatorValue.objects.filter(indicator=elsewhere).update(validated_at=at(9))

    latest = list(IndicatorValue.objects.latest_validated(plan))
    assert latest == [new, tie_second, tie_first, old]
    assert list(IndicatorValue.objects.latest_validated(plan, limit=2)) == [new, tie_second]


def test_no_latest_validated_without_values(plan, django_assert_num_queries):
    # the plan's periods and the ids; nothing left to read
    with django_assert_num_queries(2):
        assert list(IndicatorValue.objects.latest_validated(plan)) == []


@pytest.mark.parametrize("size", SIZES)
def test_an_indicator_for_its_page(django_assert_num_queries, plan, institution, size):
    framework(plan, institution, size)
    code = Indicator.objects.filter(plan=plan).order_by("code").first().code
    with django_assert_num_queries(4):
        indicator = Indicator.objects.for_page().get(plan=plan, code=code)
        indicator.result.axis.number, indicator.citation, indicator.baseline_citation  # noqa: B018
        for related in ("responsible_institutions", "alignment_tags"):
            list(getattr(indicator, related).all())
        list(indicator.annual_targets.all())
    assert indicator.code == code
    # A count reads no levels; a scale reads its own, once.
    with django_assert_num_queries(0):
        read_scale_levels([indicator])
    scale = ScaleLevelFactory(indicator__result__axis__plan=plan).indicator
    scale = Indicator.objects.for_page().get(pk=scale.pk)
    with django_assert_num_queries(1):
        read_scale_levels([scale])
        names = [level.name for level in scale.scale_levels.all()]
    assert names == [level.name for level in ScaleLevel.objects.filter(indicator=scale)]


@pytest.mark.parametrize("size", SIZES)
def test_history_of_an_indicator(django_assert_num_queries, plan, institution, size):
    framework(plan, institution, 1)
    indicator = Indicator.objects.filter(plan=plan).first()
    for period in plan.reporting_periods.filter(year__lt=2021).chronological()[:size]:
        IndicatorValueFactory(indicator=indicator, period=period)
    with django_assert_num_queries(1):
        values = IndicatorValue.objects.history_of(indicator)
        [(v.period.label, v.citation, v.indicator.code) for v in values]
    keys = [(v.period.year, v.period.quarter or 5) for v in values]
    assert keys == sorted(keys) and len(values) == 2 + size
