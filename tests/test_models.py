"""The database itself refuses rows that break the framework's rules, whatever path wrote them
(DESIGN.md §2: constraints in the database rather than only in forms)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from tracker import services
from tracker.models import (
    Activity,
    AnnualTarget,
    Axis,
    BreakdownRow,
    BudgetLine,
    Indicator,
    IndicatorValue,
    Institution,
    Opportunity,
    Plan,
    Region,
    ReportingPeriod,
    Result,
)

from .factories import (
    ActivityFactory,
    AnnualTargetFactory,
    AxisFactory,
    BreakdownRowFactory,
    BudgetLineFactory,
    DimensionValueFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    InstitutionFactory,
    OpportunityFactory,
    PlanFactory,
    ResultFactory,
    period_of,
)

pytestmark = pytest.mark.django_db


def assert_refused(model, write):
    """Run write(); the database must refuse it and the table must be unchanged."""
    before = list(model.objects.order_by("pk").values())
    with pytest.raises(IntegrityError), transaction.atomic():
        write()
    assert list(model.objects.order_by("pk").values()) == before


# Plans and periods


def test_plan_generates_its_quarters_and_whole_years():
    plan = PlanFactory(start_year=2019, end_year=2023)
    periods = list(plan.reporting_periods.chronological())
    assert len(periods) == 25
    assert [period.label for period in periods[3:6]] == ["Q4 2019", "Year 2019", "Q1 2020"]
    assert (periods[0].label, periods[-1].label) == ("Q1 2019", "Year 2023")
    year = period_of(plan, 2020, None)
    assert (str(year.start_date), str(year.end_date), year.key) == (
        "2020-01-01",
        "2020-12-31",
        "2020",
    )
    q3 = period_of(plan, 2020, 3)
    assert (str(q3.start_date), str(q3.end_date)) == ("2020-07-01", "2020-09-30")


def test_plan_extension_adds_only_missing_quarters():
    plan = PlanFactory(start_year=2019, end_year=2020)
    first = period_of(plan, 2019, 1)
    plan.end_year = 2021
    plan.save()
    services.generate_periods(plan=plan)
    assert plan.reporting_periods.count() == 15
    assert period_of(plan, 2019, 1).pk == first.pk


def test_one_whole_year_period_per_year():
    plan = PlanFactory(start_year=2019, end_year=2019)
    assert_refused(
        ReportingPeriod,
        lambda: ReportingPeriod.objects.create(
            plan=plan, year=2019, quarter=None, start_date="2019-01-01", end_date="2019-12-31"
        ),
    )


def test_plan_refuses_end_before_start():
    assert_refused(Plan, lambda: PlanFactory(start_year=2023, end_year=2019))


def test_plan_refuses_duplicate_slug():
    PlanFactory(slug="mali-2019-2023")
    assert_refused(Plan, lambda: PlanFactory(slug="mali-2019-2023"))


def test_plan_refuses_implausible_year():
    assert_refused(Plan, lambda: PlanFactory(start_year=20219, end_year=20230))


def test_period_refuses_quarter_outside_1_to_4():
    plan = PlanFactory()
    period = period_of(plan)
    period.quarter = 5
    assert_refused(ReportingPeriod, period.save)


def test_period_refuses_year_outside_its_plan():
    plan = PlanFactory(start_year=2019, end_year=2023)
    period = period_of(plan, 2023, 4)
    assert_refused(
        ReportingPeriod,
        lambda: ReportingPeriod.objects.create(
            plan=plan, year=2024, quarter=1, start_date="2024-01-01", end_date="2024-03-31"
        ),
    )
    period.year = 2030
    assert_refused(ReportingPeriod, period.save)


def test_period_refuses_duplicate_quarter():
    plan = PlanFactory()
    assert_refused(
        ReportingPeriod,
        lambda: ReportingPeriod.objects.create(
            plan=plan, year=2021, quarter=1, start_date="2021-01-01", end_date="2021-03-31"
        ),
    )


def test_closed_period_needs_its_closing_date():
    period = period_of(PlanFactory())
    period.status = ReportingPeriod.Status.CLOSED
    assert_refused(ReportingPeriod, period.save)


# Codes unique within a plan


def test_axis_number_unique_within_plan():
    axis = AxisFactory(number=1)
    assert_refused(Axis, lambda: AxisFactory(plan=axis.plan, number=1))
    AxisFactory(number=1)  # same number in another plan is fine


def test_result_code_unique_within_plan_across_axes():
    result = ResultFactory(code="2.1")
    other_axis = AxisFactory(plan=result.plan)
    assert_refused(Result, lambda: ResultFactory(axis=other_axis, code="2.1"))
    ResultFactory(code="2.1")  # another plan


def test_opportunity_code_unique_within_plan():
    opportunity = OpportunityFactory(code="2.3.1")
    assert_refused(Opportunity, lambda: OpportunityFactory(result=opportunity.result, code="2.3.1"))


def test_indicator_code_unique_within_plan():
    indicator = IndicatorFactory(code="2.1-a")
    assert_refused(Indicator, lambda: IndicatorFactory(result=indicator.result, code="2.1-a"))


def test_activity_code_unique_within_plan():
    activity = ActivityFactory(code="A1")
    assert_refused(Activity, lambda: ActivityFactory(opportunity=activity.opportunity, code="A1"))


def test_plan_is_copied_from_the_parent():
    indicator = IndicatorFactory()
    assert indicator.plan_id == indicator.result.axis.plan_id


def test_plan_copy_cannot_disagree_with_the_parent():
    result = ResultFactory()
    other_plan = PlanFactory()
    assert_refused(Result, lambda: Result.objects.filter(pk=result.pk).update(plan=other_plan))


def test_indicator_opportunity_must_belong_to_its_result():
    indicator = IndicatorFactory()
    foreign_opportunity = OpportunityFactory(result=ResultFactory(axis=indicator.result.axis))
    assert_refused(
        Indicator,
        lambda: Indicator.objects.filter(pk=indicator.pk).update(opportunity=foreign_opportunity),
    )
    indicator.opportunity = foreign_opportunity
    with pytest.raises(ValidationError):
        indicator.full_clean()


# Indicator definitions


def test_percentage_is_never_summed_over_quarters():
    assert_refused(Indicator, lambda: IndicatorFactory(unit_kind="percentage", aggregation="sum"))


def test_ratio_aggregation_only_for_percentages():
    assert_refused(Indicator, lambda: IndicatorFactory(unit_kind="count", aggregation="ratio"))


def test_baseline_value_needs_its_year():
    assert_refused(Indicator, lambda: IndicatorFactory(baseline_value=Decimal("3")))


def test_percentage_target_above_100_refused():
    assert_refused(
        Indicator, lambda: IndicatorFactory(percentage=True, target_value=Decimal("130"))
    )


def test_indicator_cannot_be_its_own_parent():
    indicator = IndicatorFactory()
    assert_refused(
        Indicator, lambda: Indicator.objects.filter(pk=indicator.pk).update(parent=indicator)
    )


def test_sub_indicator_must_share_the_plan():
    parent = IndicatorFactory()
    assert_refused(Indicator, lambda: IndicatorFactory(parent=parent))


def test_annual_target_year_must_fall_in_the_plan():
    indicator = IndicatorFactory(result__axis__plan__start_year=2019)
    assert_refused(AnnualTarget, lambda: AnnualTargetFactory(indicator=indicator, year=2018))
    assert_refused(AnnualTarget, lambda: AnnualTargetFactory(indicator=indicator, year=2024))
    target = AnnualTargetFactory(indicator=indicator, year=2023)
    target.year = 2030
    assert_refused(AnnualTarget, target.save)
    with pytest.raises(ValidationError):
        AnnualTarget(indicator=indicator, year=2024, value=1).full_clean()


def test_annual_target_once_per_year():
    target = AnnualTargetFactory(year=2021)
    assert_refused(AnnualTarget, lambda: AnnualTargetFactory(indicator=target.indicator, year=2021))


# Institutions, regions, budget


def test_institution_acronym_unique_but_may_be_blank():
    InstitutionFactory(acronym="MPFEF")
    assert_refused(Institution, lambda: InstitutionFactory(acronym="MPFEF"))
    InstitutionFactory(acronym="")
    InstitutionFactory(acronym="")


def test_region_validity_must_be_ordered():
    assert_refused(
        Region,
        lambda: Region.objects.create(
            code="MNK", name="Ménaka", valid_from="2016-01-01", valid_to="2012-01-01"
        ),
    )


def test_activity_years_ordered_and_budget_inside_plan():
    assert_refused(Activity, lambda: ActivityFactory(start_year=2022, end_year=2020))
    activity = ActivityFactory()
    assert_refused(BudgetLine, lambda: BudgetLineFactory(activity=activity, year=2031))


def test_budget_line_refuses_negative_amount_and_duplicates():
    line = BudgetLineFactory()
    assert_refused(BudgetLine, lambda: BudgetLineFactory(activity=line.activity, planned_amount=-1))
    assert_refused(
        BudgetLine,
        lambda: BudgetLineFactory(
            activity=line.activity, year=line.year, funding_source=line.funding_source
        ),
    )


# Reported values


def test_one_value_per_indicator_and_period():
    value = IndicatorValueFactory()
    assert_refused(
        IndicatorValue,
        lambda: IndicatorValueFactory(indicator=value.indicator, period=value.period),
    )


def test_value_period_must_belong_to_the_indicators_plan():
    indicator = IndicatorFactory()
    other_period = period_of(PlanFactory())
    assert_refused(
        IndicatorValue, lambda: IndicatorValueFactory(indicator=indicator, period=other_period)
    )


@pytest.mark.parametrize(
    "fields",
    [
        {"value": Decimal("-1")},
        {"numerator": Decimal("30"), "denominator": Decimal("29")},
        {"numerator": Decimal("3"), "denominator": Decimal("0")},
        {"numerator": Decimal("3"), "denominator": None},
        {"numerator": Decimal("-1"), "denominator": Decimal("29")},
        {"status": "returned", "return_reason": ""},
        {"status": "approved"},
        {"version": 0},
    ],
    ids=[
        "negative",
        "numerator-above-denominator",
        "zero-denominator",
        "numerator-alone",
        "negative-numerator",
        "return-without-reason",
        "unknown-status",
        "version-zero",
    ],
)
def test_value_refuses_unsound_figures(fields):
    indicator = IndicatorFactory(percentage=True)
    assert_refused(IndicatorValue, lambda: IndicatorValueFactory(indicator=indicator, **fields))


def test_percentage_is_derived_from_numerator_and_denominator():
    value = IndicatorValueFactory(
        indicator=IndicatorFactory(percentage=True),
        numerator=Decimal("9"),
        denominator=Decimal("29"),
        value=Decimal("99"),
    )
    value.refresh_from_db()
    assert value.value == Decimal("31.0345")  # 4 places, half up


def test_breakdown_cell_at_most_once_per_value():
    row = BreakdownRowFactory()
    assert_refused(
        BreakdownRow,
        lambda: BreakdownRowFactory(indicator_value=row.indicator_value, category=row.category),
    )


def test_crossed_breakdown_cell_at_most_once_per_value():
    women = DimensionValueFactory(code="women")
    mopti = DimensionValueFactory(dimension__code="region", code="mopti")
    row = BreakdownRowFactory(category=women, cross_category=mopti)
    assert_refused(
        BreakdownRow,
        lambda: BreakdownRowFactory(
            indicator_value=row.indicator_value, category=women, cross_category=mopti
        ),
    )
    # The single cell "women" is a different cell from "women × Mopti".
    BreakdownRowFactory(indicator_value=row.indicator_value, category=women)


def test_breakdown_refuses_negative_and_self_crossing():
    women = DimensionValueFactory(code="women")
    assert_refused(BreakdownRow, lambda: BreakdownRowFactory(value=Decimal("-2")))
    assert_refused(BreakdownRow, lambda: BreakdownRowFactory(category=women, cross_category=women))


def test_every_model_keeps_history():
    indicator = IndicatorFactory(name="First wording")
    indicator.name = "Second wording"
    indicator.save()
    assert [h.name for h in indicator.history.order_by("history_date")] == [
        "First wording",
        "Second wording",
    ]
    for model in (
        Plan,
        Axis,
        Result,
        Opportunity,
        Indicator,
        AnnualTarget,
        Activity,
        BudgetLine,
        IndicatorValue,
        BreakdownRow,
        ReportingPeriod,
        Institution,
        Region,
    ):
        assert hasattr(model, "history"), model


@pytest.mark.parametrize("figure, refused", [(139, False), (1, False), (0, True), ("1.5", True)])
def test_a_rank_is_a_whole_number_from_one(figure, refused):
    from tracker.models import validate_figure

    indicator = IndicatorFactory(unit_kind=Indicator.UnitKind.RANK, aggregation="latest")
    errors = validate_figure(indicator, Decimal(str(figure)), None, None)
    assert bool(errors) == refused


def test_a_rank_reads_as_a_place():
    from django.utils import translation

    from tracker.formatting import format_in_unit

    with translation.override("en"):
        assert format_in_unit("rank", Decimal(139)) == "rank 139"
    with translation.override("fr"):
        assert format_in_unit("rank", Decimal(139)) == "rang 139"


def test_a_plan_keeps_its_adoption_year_and_its_signing_day(client_for, member):
    plan = PlanFactory(slug="nap", adopted_in=2019, signed_on=datetime.date(2020, 11, 12))
    page = client_for(member).get(reverse("plan-framework", args=[plan.slug])).content.decode()
    assert "adopted in 2019" in page and "signed on Nov. 12, 2020" in page
