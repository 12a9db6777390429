"""What the plan dashboard shows (DESIGN.md §4): per axis, its indicators' statuses and
progress; the current period's completeness; budget planned against spent (the latest
validated figures are IndicatorValue.objects.latest_validated). Each part is one or two
aggregate queries whatever the size of the plan."""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import CharField, Count, Q, Sum, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import get_language

from tracker import progress
from tracker.figures import year_figures
from tracker.models import (
    ActivityProgress,
    BudgetLine,
    Indicator,
    IndicatorValue,
    ReportingPeriod,
)

Status = IndicatorValue.Status


@dataclass
class AxisSummary:
    axis: object
    figures: list
    statuses: dict
    mean_progress: Decimal | None

    @property
    def with_data(self):
        return sum(1 for figure in self.figures if figure.annual_value is not None)


def axis_summaries(plan, axes, year):
    # Statuses and progress by axis: each indicator's result (for its axis) is all it needs.
    figures = year_figures(
        plan,
        Indicator.objects.filter(plan=plan).order_by("code"),
        year,
        with_breakdown=False,
        with_related=False,
    )
    by_axis = {}
    for figure in figures:
        by_axis.setdefault(figure.indicator.result.axis_id, []).append(figure)
    summaries = []
    for axis in axes:
        axis_figures = by_axis.get(axis.pk, [])
        progresses = [f.plan_progress for f in axis_figures if f.plan_progress is not None]
        summaries.append(
            AxisSummary(
                axis=axis,
                figures=axis_figures,
                statuses=progress.count_statuses(f.status for f in axis_figures),
                mean_progress=progress.mean(progresses),
            )
        )
    return summaries, figures


def translated(path):
    """A translated field read through values(): the active language's column, falling back
    to the other language when empty (as modeltranslation does for model instances)."""
    first = get_language()[:2] if get_language() else settings.LANGUAGE_CODE
    others = [code for code, _name in settings.LANGUAGES if code != first]
    columns = [NullIf(f"{path}_{code}", Value("")) for code in [first, *others]]
    return Coalesce(*columns, output_field=CharField())


def current_period(plan):
    """The latest open quarter, or else the plan's last one."""
    periods = plan.reporting_periods.quarters().order_by("-year", "-quarter")
    return periods.filter(status=ReportingPeriod.Status.OPEN).first() or periods.first()


def period_completeness(plan, period):
    """Indicators with a submitted or validated value for the period ÷ indicators due (those
    with a responsible institution, reported at the period's frequency)."""
    due = period.indicators_due(
        Indicator.objects.filter(plan=plan, responsible_institutions__isnull=False)
    )
    counts = due.aggregate(
        due=Count("pk", distinct=True),
        reported=Count(
            "values",
            filter=Q(
                values__period=period, values__status__in=[Status.SUBMITTED, Status.VALIDATED]
            ),
            distinct=True,
        ),
    )
    return {**counts, "share": progress.completeness(counts["due"], counts["reported"])}


def budget_execution(plan, year):
    """Planned (budget lines) and spent (activity progress) in FCFA for the year, by axis and
    by funding source."""
    axis_field = "activity__opportunity__result__axis"
    # order_by(): the default orderings would join the plan twice more, for a sort the sums
    # do not make.
    planned = {
        row[axis_field]: row["total"]
        for row in BudgetLine.objects.filter(activity__plan=plan, year=year)
        .order_by()
        .values(axis_field)
        .annotate(total=Sum("planned_amount"))
    }
    spent = {
        row[axis_field]: row["total"]
        # period__plan: the plan's periods of the year through their (plan, year, quarter)
        # index, rather than the year's periods of every plan.
        for row in ActivityProgress.objects.filter(
            activity__plan=plan, period__plan=plan, period__year=year
        )
        .order_by()
        .values(axis_field)
        .annotate(total=Sum("amount_spent"))
    }
    by_source = list(
        BudgetLine.objects.filter(activity__plan=plan, year=year)
        .values("funding_source")
        .annotate(name=translated("funding_source__name"), planned=Sum("planned_amount"))
        .order_by("-planned", "name")
    )
    return planned, spent, by_source


def published_years(plan):
    """The years whose annual report has a published version, newest first."""
    return list(
        plan.annual_reports.filter(versions__isnull=False)
        .values_list("year", flat=True)
        .distinct()
        .order_by("-year")
    )
