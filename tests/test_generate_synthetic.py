"""The synthetic data generator behind the benchmark (bench/run.py): deterministic, complete,
labelled synthetic in the data, and apart from the real fixtures."""

import csv
import io
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db.models import Sum

from tracker import access
from tracker.models import (
    Activity,
    ActivityProgress,
    AnnualTarget,
    Axis,
    BreakdownRow,
    BudgetLine,
    CommitteeMeeting,
    Dimension,
    DimensionValue,
    FundingSource,
    Indicator,
    IndicatorValue,
    Institution,
    MeetingAttendance,
    Opportunity,
    Plan,
    Region,
    ReportingPeriod,
    Result,
    ScaleLevel,
    User,
    validate_breakdown,
    validate_figure,
)
from tracker.synthetic import synthetic_note

from .digest import plan_digest
from .table_rows import rows_written_by

pytestmark = pytest.mark.django_db

SEED = 7
NOTE = synthetic_note(SEED)


def generate(**options):
    out = io.StringIO()
    options = {"plans": 1, "indicators": 6, "seed": SEED, **options}
    call_command("generate_synthetic", stdout=out, **options)
    return out.getvalue()


@pytest.fixture(scope="session")
def generated_rows(django_db_setup, django_db_blocker):
    """What generate() writes into an empty database, made once per session (it takes half a
    second, and six tests start from it) and copied into each (tests/table_rows.py)."""
    with django_db_blocker.unblock():
        return rows_written_by(generate)


@pytest.fixture
def plan(db, generated_rows):
    """The synthetic plan generate() makes."""
    generated_rows.write()
    return Plan.objects.get(slug=f"synthetic-{SEED}-1")


def test_a_plan_with_its_framework_and_operational_plan(plan):
    assert (plan.start_year, plan.end_year) == (2019, 2023)
    assert plan.reporting_periods.quarters().count() == 20
    assert plan.reporting_periods.count() == 25
    assert Axis.objects.filter(plan=plan).count() == 4
    assert Result.objects.filter(plan=plan).count() == 12
    assert Opportunity.objects.filter(plan=plan).count() == 24
    assert Activity.objects.filter(plan=plan).count() == 48
    assert BudgetLine.objects.filter(activity__plan=plan).exists()
    assert ActivityProgress.objects.filter(activity__plan=plan).exists()
    assert CommitteeMeeting.objects.filter(period__plan=plan).count() == 20


def test_indicators_of_every_unit_kind_with_targets_and_a_value_per_quarter(plan):
    indicators = Indicator.objects.filter(plan=plan)
    assert indicators.count() == 6
    # Ranks in a published index are context, not figures a committee reports each quarter.
    synthesised = set(Indicator.UnitKind) - {Indicator.UnitKind.RANK}
    assert set(indicators.values_list("unit_kind", flat=True)) == synthesised
    assert all(indicator.responsible_institutions.exists() for indicator in indicators)
    assert AnnualTarget.objects.filter(indicator__plan=plan).count() == 6 * 5
    values = IndicatorValue.objects.filter(indicator__plan=plan)
    assert values.count() == 6 * 20
    statuses = set(values.values_list("status", flat=True))
    assert IndicatorValue.Status.VALIDATED in statuses
    assert statuses & {IndicatorValue.Status.SUBMITTED, IndicatorValue.Status.DRAFT}
    assert not values.filter(status=IndicatorValue.Status.RETURNED, return_reason="").exists()
    assert set(values.values_list("version", flat=True)) == {1}
    for value in values.select_related("indicator"):
        unit = value.indicator.unit_kind
        if unit == Indicator.UnitKind.PERCENTAGE:
            assert value.numerator <= value.denominator
            assert value.value == value.percentage
        elif unit == Indicator.UnitKind.MILESTONE:
            assert value.value in (0, 1)
        elif unit == Indicator.UnitKind.SCALE:
            assert value.indicator.scale_levels.filter(value=value.value).exists()
        else:
            assert value.value == value.value.to_integral_value() and value.value >= 0


def test_breakdown_cells_add_up_to_the_value(plan):
    summed = IndicatorValue.objects.filter(
        indicator__plan=plan, indicator__unit_kind__in=["count", "amount"]
    )
    # Indicators 1, 3 and 6 are counts or amounts, crossed by sex and eleven regions.
    assert BreakdownRow.objects.filter(indicator_value__in=summed).count() == 3 * 20 * 2 * 11
    crossed = BreakdownRow.objects.filter(indicator_value__in=summed).first()
    assert crossed.category.dimension.code == "sex"
    assert crossed.cross_category.dimension.code == "region"
    for value in summed.annotate(cells=Sum("breakdown_rows__value")):
        assert value.cells == value.value


def test_no_breakdown_on_request():
    generate(breakdown=False)
    assert not BreakdownRow.objects.exists()
    assert IndicatorValue.objects.count() == 6 * 20


def test_labelled_synthetic_in_the_data(plan):
    assert plan.country == "Synthetic"
    assert plan.title_en.startswith("[SYNTHETIC]")
    assert plan.title_fr.startswith("[SYNTHETIC]")
    assert plan.source_note == NOTE
    for model in (Axis, Result, Opportunity, Indicator, Activity):
        rows = model.objects.filter(plan=plan)
        assert rows.exists()
        assert set(rows.values_list("source_note", flat=True)) == {NOTE}
    values = IndicatorValue.objects.filter(indicator__plan=plan)
    assert set(values.values_list("source", flat=True)) == {NOTE}
    assert "not real figures" in NOTE and f"--seed {SEED}" in NOTE


def test_same_seed_same_figures_other_seed_others():
    generate(prefix="first")
    generate(prefix="second")
    generate(prefix="third", seed=SEED + 1)
    first, second, third = (
        plan_digest(Plan.objects.get(slug=slug))
        for slug in (f"first-{SEED}-1", f"second-{SEED}-1", f"third-{SEED + 1}-1")
    )
    assert first == second
    assert first != third


def test_existing_plans_are_skipped(plan):
    before = IndicatorValue.objects.count()
    output = generate(plans=2)
    assert "1 synthetic plan(s) generated, 1 already present" in output
    assert IndicatorValue.objects.count() == before * 2
    assert plan_digest(plan) == plan_digest(Plan.objects.get(slug=f"synthetic-{SEED}-1"))


def test_the_real_fixtures_are_left_alone_and_their_dimensions_reused(mali_plan):
    real = Plan.objects.get(slug="mali-2019-2023")
    before = {
        "digest": plan_digest(real),
        "plans": list(Plan.objects.order_by("pk").values_list("pk", "slug", "title_en")),
        "dimensions": list(Dimension.objects.values_list("pk", "code")),
        "categories": list(DimensionValue.objects.values_list("pk", "code", "region_id")),
        "regions": Region.objects.count(),
        "values": IndicatorValue.objects.count(),
    }
    generate()
    synthetic = Plan.objects.get(slug=f"synthetic-{SEED}-1")
    assert plan_digest(real) == before["digest"]
    assert (
        list(
            Plan.objects.exclude(pk=synthetic.pk)
            .order_by("pk")
            .values_list("pk", "slug", "title_en")
        )
        == before["plans"]
    )
    # The fixture's sex and region dimensions are reused, not duplicated.
    assert list(Dimension.objects.values_list("pk", "code")) == before["dimensions"]
    assert (
        list(DimensionValue.objects.values_list("pk", "code", "region_id"))
        == (before["categories"])
    )
    assert Region.objects.count() == before["regions"]
    cells = BreakdownRow.objects.filter(indicator_value__indicator__plan=synthetic)
    assert set(cells.values_list("cross_category__dimension__code", flat=True)) == {"region"}
    assert IndicatorValue.objects.filter(indicator__plan=real).count() == before["values"]


def test_the_dashboard_and_pages_render_for_a_synthetic_plan(plan, client_for, secretariat):
    client = client_for(secretariat)
    response = client.get(f"/plans/{plan.slug}/?year=2021")
    assert response.status_code == 200
    assert "Synthetic" in response.content.decode()
    indicator = Indicator.objects.filter(plan=plan, unit_kind="count").order_by("code").first()
    for url in (
        f"/plans/{plan.slug}/indicators/?year=2021",
        f"/plans/{plan.slug}/indicators/{indicator.code}/?year=2021",
        f"/plans/{plan.slug}/validation/",
    ):
        assert client.get(url).status_code == 200, url


def test_the_full_export_writes_every_value_and_cell(plan, tmp_path):
    output = tmp_path / "values.csv"
    err = io.StringIO()
    call_command("export_values", output=str(output), stderr=err)
    with output.open(encoding="utf-8", newline="") as stream:
        lines = list(csv.DictReader(stream))
    assert len(lines) == IndicatorValue.objects.count() + BreakdownRow.objects.count()
    assert {line["plan"] for line in lines} == {plan.slug}
    cells = sum(Decimal(line["cell_value"]) for line in lines if line["cell_value"])
    assert cells == BreakdownRow.objects.aggregate(total=Sum("value"))["total"]
    totals = sum(Decimal(line["value"]) for line in lines if line["value"])
    assert totals == IndicatorValue.objects.aggregate(total=Sum("value"))["total"]
    assert "peak RSS" in err.getvalue()


# The generator bulk-inserts, past the models' save() and the services: every row it makes is
# checked here against the rules the application applies to the rows it makes itself.

GENERATED_MODELS = {
    Plan,
    ReportingPeriod,
    Axis,
    Result,
    Opportunity,
    Indicator,
    Indicator.responsible_institutions.through,
    Indicator.dimensions.through,
    ScaleLevel,
    AnnualTarget,
    IndicatorValue,
    BreakdownRow,
    Activity,
    Activity.partners.through,
    BudgetLine,
    ActivityProgress,
    CommitteeMeeting,
    MeetingAttendance,
    Institution,
    FundingSource,
    Dimension,
    DimensionValue,
    Region,
    User,
}


@pytest.fixture
def small_plan():
    """A plan small enough to check row by row: every unit kind, a sub-indicator, breakdowns
    crossed and by region alone, every value status, over two years."""
    generate(indicators=12, years=2)
    return Plan.objects.get(slug=f"synthetic-{SEED}-1")


@pytest.fixture(params=[(12, 2), (60, 5)], ids=["small", "benchmark-sized"])
def sized_plan(request):
    """The small plan, and one of the benchmark's size, whose sixty indicators cover the whole
    mix: decreases, breakdowns by sex alone."""
    indicators, years = request.param
    generate(indicators=indicators, years=years)
    return Plan.objects.get(slug=f"synthetic-{SEED}-1")


def test_every_generated_row_passes_the_models_rules(small_plan):
    """full_clean() on every row of every model: fields, the models' clean() (an indicator's
    opportunity under its result, years within the plan, figures that fit the unit) and every
    constraint, as the admin would check them."""
    tracker = apps.get_app_config("tracker")
    checked, refused = set(), []
    for model in tracker.get_models(include_auto_created=True):
        if model.__name__.startswith("Historical"):
            continue
        for row in model.objects.all():
            checked.add(model)
            try:
                row.full_clean()
            except ValidationError as error:
                refused.append((model.__name__, row.pk, error.messages))
    assert refused == []
    assert checked == GENERATED_MODELS


def test_every_generated_value_passes_the_entry_rules(sized_plan):
    """The figure and its breakdown pass the checks services.check_value makes for the entry
    page and every other path; a percentage's value is the one IndicatorValue.save() derives."""
    values = (
        IndicatorValue.objects.filter(indicator__plan=sized_plan)
        .select_related("indicator")
        .prefetch_related("breakdown_rows", "indicator__dimensions__values")
    )
    refused = []
    for value in values:
        indicator = value.indicator
        cells = {
            (row.category_id, row.cross_category_id): row.value
            for row in value.breakdown_rows.all()
        }
        errors = validate_figure(indicator, value.value, value.numerator, value.denominator)
        messages = validate_breakdown(indicator, value.value, cells)
        if errors or messages:
            refused.append((indicator.code, value.period_id, errors, messages))
        if value.denominator is not None:
            assert value.value == value.percentage
    assert refused == []
    assert (
        len(values) == Indicator.objects.filter(plan=sized_plan).count() * len(sized_plan.years) * 4
    )


def test_every_generated_meeting_passes_the_meeting_rules(small_plan):
    meetings = CommitteeMeeting.objects.filter(period__plan=small_plan).select_related("period")
    for meeting in meetings.prefetch_related("attendance__institution"):
        CommitteeMeeting.check_record(
            period=meeting.period,
            date=meeting.date,
            place=meeting.place,
            attendance=list(meeting.attendance.all()),
        )
    assert meetings.count() == small_plan.reporting_periods.quarters().count()


def test_plan_elements_carry_their_parents_plan(small_plan):
    """PlanElement.save() copies the plan from the parent; bulk_create does not call it."""
    for model in (Result, Opportunity, Indicator, Activity):
        rows = model.objects.filter(plan=small_plan)
        assert rows.exists()
        for row in rows:
            assert row.plan_id == row.parent_plan_id(), (model.__name__, row.code)


def test_the_workflow_fields_are_those_the_services_write(small_plan):
    """What services.submit, validate and return_for_correction would have written: who
    submitted and when, who validated (never who entered or submitted it) and when."""
    values = IndicatorValue.objects.filter(indicator__plan=small_plan)
    assert set(values.values_list("status", flat=True)) == set(IndicatorValue.Status)
    for value in values.select_related("validated_by"):
        if value.status == IndicatorValue.Status.DRAFT:
            assert value.submitted_at is None and value.submitted_by_id is None
        else:
            assert value.submitted_at and value.submitted_by_id == value.entered_by_id
        if value.status == IndicatorValue.Status.VALIDATED:
            assert value.validated_at > value.submitted_at
            assert access.own_part_in(value.validated_by, value) == ""
            assert value.return_reason == ""
        else:
            assert value.validated_at is None and value.validated_by_id is None
        if value.status == IndicatorValue.Status.RETURNED:
            assert value.return_reason
