"""What the exports read, from named reads, in a fixed number of queries whatever the size
of the plan; the documents are then built without touching the database."""

from dataclasses import dataclass

from tracker import figures
from tracker.models import (
    ComboMapping,
    ExchangeSettings,
    Indicator,
    IndicatorValue,
    Institution,
    Region,
    Result,
)


def settings_of(plan):
    """The plan's exchange settings, or the defaults when nobody has set them."""
    return ExchangeSettings.objects.filter(plan=plan).first() or ExchangeSettings(plan=plan)


@dataclass
class ValuesInput:
    """The validated values of a period range, for DHIS2 and ADX."""

    plan: object
    settings: ExchangeSettings
    combos: dict  # ComboMapping.objects.lookup()
    values: list  # IndicatorValue, with indicator, period and breakdown_rows


def values_input(plan, period_range):
    """Five queries: the settings, the mapping, the periods, the values and their cells."""
    period_ids = [
        pk
        for pk, year, quarter in plan.reporting_periods.values_list("pk", "year", "quarter")
        if period_range.includes(year, quarter)
    ]
    values = list(IndicatorValue.objects.for_exchange(plan, period_ids))
    return ValuesInput(plan, settings_of(plan), ComboMapping.objects.lookup(), values)


@dataclass
class ResultsInput:
    """The framework and each year's figures, for IATI."""

    plan: object
    settings: ExchangeSettings
    results: list  # Result, each with `exchange_indicators` (Indicator, with for_api's)
    years: dict  # {year: {indicator id: figures.IndicatorYear}}
    institutions: list  # the institutions responsible for indicators of the plan
    regions: dict  # {region id: Region} of the regions the breakdowns name


def results_input(plan):
    """The plan's results and indicators, and the figures of each year of the plan (three
    queries a year, four with scales, as every page that shows a year's figures)."""
    indicators = Indicator.objects.for_api(plan)
    by_result = {}
    for indicator in indicators:
        by_result.setdefault(indicator.result_id, []).append(indicator)
    results = list(
        Result.objects.filter(plan=plan).select_related("axis").order_by("axis__number", "code")
    )
    for result in results:
        result.exchange_indicators = by_result.get(result.pk, [])
    plain = Indicator.objects.filter(plan=plan).order_by("code")
    years = {
        year: {figure.indicator.pk: figure for figure in figures.year_figures(plan, plain, year)}
        for year in plan.years
    }
    region_ids = {category.region_id for category in _categories(years) if category.region_id}
    return ResultsInput(
        plan=plan,
        settings=settings_of(plan),
        results=results,
        years=years,
        institutions=list(Institution.objects.responsible_in(plan)),
        regions={region.pk: region for region in Region.objects.filter(pk__in=region_ids)},
    )


def _categories(years):
    """Every category the years' breakdowns name."""
    for by_indicator in years.values():
        for figure in by_indicator.values():
            for cell in figure.breakdown:
                yield cell.category
                if cell.cross_category:
                    yield cell.cross_category
