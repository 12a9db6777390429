"""The figures of a plan for one year, as every page and export shows them: each indicator's
validated quarterly values, its whole-year value if it has one, the year's figure, target,
progress, status and breakdown.

The database selects (one query for the validated values of every indicator, one for the
breakdowns); tracker.progress decides the annual value and status, so a dashboard, the
indicator table and the annual report can never disagree."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import FilteredRelation, OuterRef, Q, Subquery, prefetch_related_objects

from tracker import progress
from tracker.models import (
    AnnualTarget,
    BreakdownRow,
    DimensionValue,
    Indicator,
    IndicatorValue,
    chronological_key,
)

VALIDATED = IndicatorValue.Status.VALIDATED
SCALE = Indicator.UnitKind.SCALE
QUARTERS = (1, 2, 3, 4)


@dataclass(slots=True)  # hundreds a report: no dictionary for each
class BreakdownCell:
    category: object  # DimensionValue
    cross_category: object | None
    value: Decimal


@dataclass
class IndicatorYear:
    indicator: object  # Indicator
    year: int
    quarters: dict  # {quarter number: progress.Quarter}, validated values only
    # The validated whole-year value (progress.Quarter with quarter None), if any: it is the
    # year's figure, and the quarters are then in-year observations.
    whole_year: object | None
    annual_value: Decimal | None  # the year's figure (progress.year_value)
    annual_qualifier: str  # progress.Qualifier: a sum including "over 874" is a lower bound
    annual_target: Decimal | None
    progress: Decimal | None  # towards the year's target
    plan_progress: Decimal | None  # towards the end-of-plan target
    status: progress.Status
    breakdown: list = field(default_factory=list)  # [BreakdownCell]
    # The part of the annual value the breakdown describes: the quarters that have one.
    breakdown_quarters: tuple = ()
    breakdown_covers: Decimal | None = None
    previous_value: Decimal | None = None
    # What a figure says without a target: its change from the baseline and from the year
    # before (progress.Change, or None).
    change_from_baseline: progress.Change | None = None
    change_from_previous: progress.Change | None = None

    # Sort keys for tables: missing figures sort last, whatever the direction.
    @property
    def sort_value(self):
        return (self.annual_value is None, self.annual_value or 0)

    @property
    def sort_progress(self):
        return (self.progress is None, self.progress or 0)

    @property
    def status_rank(self):
        return list(progress.Status).index(self.status)

    @property
    def changes(self):
        """The changes a figure without a target is read by, as (difference, trend) pairs."""

        def pair(change):
            return (change.difference, change.trend) if change else None

        return {
            "from_previous": pair(self.change_from_previous),
            "from_baseline": pair(self.change_from_baseline),
        }

    @property
    def from_whole_year(self):
        """True when the year's figure is a whole-year value, not an aggregation of quarters."""
        return self.whole_year is not None

    @property
    def basis(self):
        """progress.Basis: where the year's figure comes from."""
        if self.from_whole_year:
            return progress.Basis.WHOLE_YEAR
        return progress.Basis(self.indicator.aggregation)

    @property
    def quarter_list(self):
        """Q1-Q4 in order, None where no validated value exists."""
        return [self.quarters.get(quarter) for quarter in QUARTERS]


def year_figures(plan, indicators, year, *, with_breakdown=True, with_related=True):
    """[IndicatorYear] for the `indicators` QuerySet (of `plan`), in its order, in four
    queries whatever the number of indicators and values. The previous year's quarters come
    with the year's, for the change over the year. With `with_related`, each indicator comes
    with its result's axis and, for a scale, its levels (a value is written with its level's
    name), as the pages show them; without, with its result only: the annual report keeps
    neither, and they cost it a join and a query."""
    # order_by(): the models' default orderings follow foreign keys up to the plan, which
    # would add joins and a sort to these queries.
    target = (
        AnnualTarget.objects.filter(indicator=OuterRef("pk"), year=year)
        .order_by()
        .values("value")[:1]
    )
    rows = indicators.annotate(annual_target=Subquery(target))
    rows = list(rows.select_related("result__axis" if with_related else "result"))
    if with_related:
        read_scale_levels(rows)
    periods = _validated_quarters(plan, indicators, [year - 1, year])
    breakdowns = _breakdowns(plan, indicators, year) if with_breakdown else {}
    categories = _categories(breakdowns)
    elapsed, band = plan.elapsed_quarters(year), _band()
    return [
        _indicator_year(
            row,
            # SQLite hands a subquery's decimal back unscaled (100, not the column's 100.0000).
            _four_places(row.annual_target),
            year,
            elapsed,
            band,
            breakdowns.get(row.pk, {}),
            categories,
            periods.get((row.pk, year), {}),
            periods.get((row.pk, year - 1), {}),
        )
        for row in rows
    ]


def indicator_year(plan, indicator, values, year):
    """The year's figure of one indicator whose values were already read, as year_figures
    makes it: for its page, which has every value of the indicator (`values`, as
    IndicatorValue.objects.history_of reads them: with their periods, all in the indicator's
    plan as the database ensures) and its annual targets (prefetched). Only the breakdown is
    read: two queries instead of four. The same conversion and builder as year_figures, so the
    same arithmetic (tests/test_indicator_year.py holds the two equal, field by field)."""
    periods = _periods(
        (
            indicator.pk,
            value.period.year,
            value.period.quarter,
            value.value,
            value.numerator,
            value.denominator,
            value.qualifier,
        )
        for value in values
        if value.status == VALIDATED and value.period.year in (year - 1, year)
    )
    # The targets are unique by year; none for the year is no target, as year_figures' subquery.
    target = next((t.value for t in indicator.annual_targets.all() if t.year == year), None)
    breakdowns = _breakdowns(plan, [indicator], year)
    return _indicator_year(
        indicator,
        target,
        year,
        plan.elapsed_quarters(year),
        _band(),
        breakdowns.get(indicator.pk, {}),
        _categories(breakdowns),
        periods.get((indicator.pk, year), {}),
        periods.get((indicator.pk, year - 1), {}),
    )


def read_scale_levels(indicators):
    """Reads the levels of the scales among `indicators` (already read) into them, in one query,
    none when no scale is among them: a scale's figure is written with its level's name
    (formatting.format_indicator_value), and no other unit has levels."""
    scales = [indicator for indicator in indicators if indicator.unit_kind == SCALE]
    prefetch_related_objects(scales, "scale_levels")


def _validated_quarters(plan, indicators, years):
    """{(indicator id, year): {quarter or None: progress.Quarter}}: the validated values of
    `years` (None: the whole-year value), as plain rows (one per indicator and period) turned
    into quarters here.

    Not one column per quarter and figure (MAX(...) FILTER (...)) in the indicators' query, as
    before: with the year before for the change over the year and the qualifiers, that made 32
    aggregates over twice the rows, and Django's building of them alone cost more than this
    whole query (the plan dashboard, the indicator table and page, the reports all call this)."""
    rows = (
        indicators.order_by()
        .annotate(year_values=FilteredRelation("values", condition=Q(values__status=VALIDATED)))
        .filter(year_values__period__plan=plan, year_values__period__year__in=years)
        .values_list(
            "pk",
            "year_values__period__year",
            "year_values__period__quarter",
            "year_values__value",
            "year_values__numerator",
            "year_values__denominator",
            "year_values__qualifier",
        )
    )
    return _periods(rows)


def _periods(rows):
    """{(indicator id, year): {quarter or None: progress.Quarter}} of validated values given as
    (indicator id, year, quarter, value, numerator, denominator, qualifier): the one place a
    value becomes a progress.Quarter, for year_figures and indicator_year alike. A value with
    neither a figure nor a numerator counts as none."""
    found = defaultdict(dict)
    # In quarter order, so that each year's quarters read Q1 to Q4 (the whole year last).
    for pk, year, quarter, value, numerator, denominator, qualifier in sorted(
        rows, key=lambda row: (row[0], *chronological_key(row[1], row[2]))
    ):
        if value is not None or numerator is not None:
            found[(pk, year)][quarter] = progress.Quarter(
                quarter,
                _four_places(value),
                _four_places(numerator),
                _four_places(denominator),
                qualifier=qualifier or progress.Qualifier.EXACT,
            )
    return found


def _split_whole_year(periods):
    """({quarter: progress.Quarter}, the whole-year progress.Quarter or None) of a year's
    validated values ({quarter or None: progress.Quarter})."""
    quarters = {quarter: value for quarter, value in periods.items() if quarter is not None}
    return quarters, periods.get(None)


def _indicator_year(
    row, target, year, elapsed, band, breakdown, categories, periods, previous_periods
):
    """One indicator's IndicatorYear from its year's `target` (explicit: year_figures reads it
    with the indicator, indicator_year from its prefetched targets), its validated values of the
    year and the year before ({quarter or None: progress.Quarter}) and its breakdown cells."""
    quarters, whole_year = _split_whole_year(periods)
    annual = progress.year_value(row.aggregation, quarters.values(), whole_year)
    qualifier = progress.year_qualifier(row.aggregation, quarters.values(), whole_year)
    previous_quarters, previous_whole_year = _split_whole_year(previous_periods)
    previous = progress.year_value(row.aggregation, previous_quarters.values(), previous_whole_year)
    breakdown = _breakdown_of_figure(breakdown, whole_year)
    return IndicatorYear(
        indicator=row,
        year=year,
        quarters=quarters,
        whole_year=whole_year,
        annual_value=annual,
        annual_target=target,
        progress=_progress(annual, row, target),
        plan_progress=_progress(annual, row, row.target_value),
        status=progress.status(
            aggregation=row.aggregation,
            direction=row.direction,
            unit_kind=row.unit_kind,
            value=annual,
            baseline=row.baseline_value,
            annual_target=target,
            elapsed_quarters=elapsed,
            band=band,
            qualifier=qualifier,
        ),
        annual_qualifier=qualifier,
        breakdown=_annual_breakdown(row, breakdown, categories),
        breakdown_quarters=tuple(sorted(quarter for quarter in breakdown if quarter)),
        breakdown_covers=_covered(row, quarters, whole_year, breakdown),
        previous_value=previous,
        change_from_baseline=progress.change(annual, row.baseline_value, row.direction),
        change_from_previous=progress.change(annual, previous, row.direction),
    )


def _breakdown_of_figure(breakdown, whole_year):
    """The breakdowns that describe the year's figure: the whole-year value's own, where it has
    one; otherwise the quarters' ({quarter or None: cells})."""
    if None in breakdown and whole_year is not None:
        return {None: breakdown[None]}
    return {quarter: cells for quarter, cells in breakdown.items() if quarter is not None}


def _covered(indicator, quarters, whole_year, breakdown):
    """How much of the year's figure the breakdown describes: all of a whole-year value broken
    down, else the quarters with a breakdown, aggregated like the indicator (a summed indicator
    broken down in Q1 only describes Q1)."""
    if not breakdown:
        return None
    if None in breakdown:
        return whole_year.value
    if indicator.aggregation != indicator.Aggregation.SUM:
        latest = quarters.get(max(breakdown))
        return latest.value if latest else None
    return sum(
        (quarters[quarter].value for quarter in breakdown if quarter in quarters), Decimal(0)
    )


def _band():
    """The statuses' band around the expected progress (settings.PROGRESS_BAND)."""
    return Decimal(str(settings.PROGRESS_BAND))


FOUR_PLACES = Decimal("0.0001")


def _four_places(number):
    # SQLite hands aggregates back through floats; fix the scale so both engines agree.
    if number is None:
        return None
    return (number if isinstance(number, Decimal) else Decimal(number)).quantize(FOUR_PLACES)


def _progress(value, indicator, target):
    if value is None or target is None:
        return None
    return progress.progress(value, indicator.baseline_value, target, indicator.direction)


def _breakdowns(plan, indicators, year):
    """{indicator id: {quarter or None: [(category id, cross category id, value)]}} for the
    year's validated values (None: the whole-year value). Plain tuples, not model instances:
    a plan holds tens of thousands of cells, and building objects for them would cost more
    than the query."""
    rows = (
        BreakdownRow.objects.filter(
            indicator_value__indicator__in=indicators,
            indicator_value__status=VALIDATED,
            indicator_value__period__plan=plan,
            indicator_value__period__year=year,
        )
        .order_by()
        .values_list(
            "indicator_value__indicator_id",
            "indicator_value__period__quarter",
            "category_id",
            "cross_category_id",
            "value",
        )
    )
    grouped = defaultdict(lambda: defaultdict(list))
    for indicator_id, quarter, category_id, cross_id, value in rows:
        grouped[indicator_id][quarter].append((category_id, cross_id, value))
    return grouped


def _categories(breakdowns):
    """The dimension values the breakdowns use, with their dimension, in one query."""
    ids = {
        category
        for by_quarter in breakdowns.values()
        for cells in by_quarter.values()
        for cell in cells
        for category in cell[:2]
        if category is not None
    }
    if not ids:
        return {}
    categories = {}
    for category in (
        DimensionValue.objects.filter(pk__in=ids).select_related("dimension").order_by()
    ):
        # Read the translated names once: every cell of every indicator shows them and is
        # sorted by them.
        category.label, category.dimension_label = category.name, category.dimension.name
        category.crossed_order = (category.order, category.label)
        category.cell_order = (category.dimension.order, *category.crossed_order)
        categories[category.pk] = category
    return categories


def _annual_breakdown(indicator, by_quarter, categories):
    """The year's breakdown: the whole-year value's cells, or the quarters' aggregated like the
    indicator (summed cells for a summed indicator, otherwise the cells of the latest quarter
    that has any)."""
    if not by_quarter:
        return []
    totals = defaultdict(Decimal)
    if None in by_quarter:
        for category_id, cross_id, value in by_quarter[None]:
            totals[(category_id, cross_id)] = value
    elif indicator.aggregation == indicator.Aggregation.SUM:
        for cells in by_quarter.values():
            for category_id, cross_id, value in cells:
                totals[(category_id, cross_id)] += value
    else:
        for category_id, cross_id, value in by_quarter[max(by_quarter)]:
            totals[(category_id, cross_id)] = value
    cells = [
        BreakdownCell(categories[category_id], categories.get(cross_id), _four_places(value))
        for (category_id, cross_id), value in totals.items()
    ]
    cells.sort(key=_cell_order)
    return cells


def _cell_order(cell):
    """By the category's dimension, order and name, then the crossed category's (a category
    alone before its crossings)."""
    cross = cell.cross_category
    return (*cell.category.cell_order, *(cross.crossed_order if cross else (-1, "")))
