"""factory_boy factories for every model the tests build. Each makes a valid row with the
fewest choices; tests state only what they care about."""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth.models import Group

from tracker import models, services


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Institution

    name = factory.Sequence(lambda n: f"Institution {n}")
    acronym = factory.Sequence(lambda n: f"INST{n}")
    kind = models.Institution.Kind.MINISTRY


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Region

    code = factory.Sequence(lambda n: f"R{n}")
    name = factory.Sequence(lambda n: f"Region {n}")


class DimensionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Dimension
        django_get_or_create = ["code"]

    code = "sex"
    name = "Sex"


class DimensionValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.DimensionValue

    dimension = factory.SubFactory(DimensionFactory)
    code = factory.Sequence(lambda n: f"value-{n}")
    name = factory.Sequence(lambda n: f"Value {n}")


class AlignmentTagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.AlignmentTag

    framework = models.AlignmentTag.Framework.SDG
    code = factory.Sequence(lambda n: f"5.{n}.1")
    name = factory.Sequence(lambda n: f"SDG indicator {n}")


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Plan
        skip_postgeneration_save = True

    country = "Mali"
    title = factory.Sequence(lambda n: f"National action plan {n}")
    slug = factory.Sequence(lambda n: f"plan-{n}")
    start_year = 2019
    end_year = 2023

    @factory.post_generation
    def periods(plan, create, extracted, **kwargs):
        # As the admin does when it saves a plan.
        if create:
            services.generate_periods(plan=plan)


class AxisFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Axis

    plan = factory.SubFactory(PlanFactory)
    number = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Axis {n}")


class ResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Result

    axis = factory.SubFactory(AxisFactory)
    code = factory.Sequence(lambda n: f"1.{n + 1}")
    statement = factory.Sequence(lambda n: f"Result statement {n}")


class OpportunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Opportunity

    result = factory.SubFactory(ResultFactory)
    code = factory.Sequence(lambda n: f"1.1.{n + 1}")
    statement = factory.Sequence(lambda n: f"Opportunity statement {n}")


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Indicator

    result = factory.SubFactory(ResultFactory)
    code = factory.Sequence(lambda n: f"1.1-{n}")
    name = factory.Sequence(lambda n: f"Indicator {n}")
    unit_kind = models.Indicator.UnitKind.COUNT
    aggregation = models.Indicator.Aggregation.SUM

    class Params:
        percentage = factory.Trait(
            unit_kind=models.Indicator.UnitKind.PERCENTAGE,
            aggregation=models.Indicator.Aggregation.LATEST,
        )


class ScaleLevelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ScaleLevel

    indicator = factory.SubFactory(IndicatorFactory, unit_kind="scale", aggregation="latest")
    value = factory.Sequence(lambda n: n)
    name = factory.Sequence(lambda n: f"Level {n}")


class AnnualTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.AnnualTarget

    indicator = factory.SubFactory(IndicatorFactory)
    year = 2021
    value = Decimal("10")


class FundingSourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.FundingSource

    name = factory.Sequence(lambda n: f"Donor {n}")
    kind = models.FundingSource.Kind.DONOR


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Activity

    opportunity = factory.SubFactory(OpportunityFactory)
    code = factory.Sequence(lambda n: f"A{n}")
    title = factory.Sequence(lambda n: f"Activity {n}")
    lead_institution = factory.SubFactory(InstitutionFactory)
    start_year = 2020
    end_year = 2022


class BudgetLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.BudgetLine

    activity = factory.SubFactory(ActivityFactory)
    year = 2021
    funding_source = factory.SubFactory(FundingSourceFactory)
    planned_amount = 1_000_000


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Source

    publisher = "UN Women"
    title = factory.Sequence(lambda n: f"Update on women, peace and security in Mali, no. {n}")
    published_on = datetime.date(2021, 4, 29)
    kind = models.Source.Kind.REPORT


def period_of(plan, year=2021, quarter=1):
    """Periods are generated with their plan; tests look them up rather than create them."""
    return plan.reporting_periods.get(year=year, quarter=quarter)


class IndicatorValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.IndicatorValue

    indicator = factory.SubFactory(IndicatorFactory)
    period = factory.LazyAttribute(lambda o: period_of(o.indicator.plan))
    value = Decimal("5")
    status = models.IndicatorValue.Status.VALIDATED
    source = "Test source"
    validated_at = factory.LazyFunction(lambda: datetime.datetime(2021, 4, 1, tzinfo=datetime.UTC))


class BreakdownRowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.BreakdownRow

    indicator_value = factory.SubFactory(IndicatorValueFactory)
    category = factory.SubFactory(DimensionValueFactory)
    value = Decimal("1")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("test-password-1325")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(Group.objects.get(name=extracted))


class ActivityProgressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ActivityProgress

    activity = factory.SubFactory(ActivityFactory)
    period = factory.LazyAttribute(lambda o: period_of(o.activity.plan))
    status = models.ActivityProgress.Status.ONGOING
    percent_complete = 40


class CommitteeMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.CommitteeMeeting

    period = factory.LazyAttribute(lambda o: period_of(PlanFactory()))
    date = datetime.date(2021, 2, 11)
    place = "Bamako"


class MeetingAttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.MeetingAttendance

    meeting = factory.SubFactory(CommitteeMeetingFactory)
    institution = factory.SubFactory(InstitutionFactory)
    women_present = 2
    men_present = 1


def participation_scale(result, code="1.0-a"):
    """The ordinal scale indicator 1.0-a with three named levels, as the scale tests use it."""
    indicator = IndicatorFactory(
        result=result,
        code=code,
        name="Civil society participation",
        unit_kind="scale",
        aggregation="latest",
    )
    for value, name in ((0, "None"), (1, "Consulted"), (2, "Takes part in decisions")):
        ScaleLevelFactory(indicator=indicator, value=value, name=name)
    return indicator


class ValueCommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ValueComment

    value = factory.SubFactory(IndicatorValueFactory)
    author = factory.SubFactory(UserFactory)
    text = factory.Sequence(lambda n: f"Comment {n}: which register does this figure come from?")
