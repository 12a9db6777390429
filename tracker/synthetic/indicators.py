"""A synthetic plan's indicators, of every unit kind, with their responsible institutions,
disaggregation dimensions, scale levels and annual targets, and the profile each one's
figures are later drawn from."""

from dataclasses import dataclass
from decimal import Decimal

from tracker import progress as maths
from tracker.models import AnnualTarget, Indicator, ScaleLevel

from .common import BATCH, in_parent_plan

UnitKind = Indicator.UnitKind
Aggregation = Indicator.Aggregation

# The indicator mix, repeated every 20 indicators. The first five cover every unit kind, so
# that even a small run has each; counts dominate, as in most NAP 1325 frameworks.
KINDS = [
    (UnitKind.COUNT, Aggregation.SUM),
    (UnitKind.PERCENTAGE, Aggregation.RATIO),
    (UnitKind.AMOUNT, Aggregation.SUM),
    (UnitKind.MILESTONE, Aggregation.LATEST),
    (UnitKind.SCALE, Aggregation.LATEST),
    (UnitKind.COUNT, Aggregation.SUM),
    (UnitKind.COUNT, Aggregation.LATEST),
    (UnitKind.COUNT, Aggregation.SUM),
    (UnitKind.PERCENTAGE, Aggregation.LATEST),
    (UnitKind.AMOUNT, Aggregation.SUM),
    (UnitKind.COUNT, Aggregation.SUM),
    (UnitKind.COUNT, Aggregation.SUM),
    (UnitKind.PERCENTAGE, Aggregation.RATIO),
    (UnitKind.COUNT, Aggregation.LATEST),
    (UnitKind.COUNT, Aggregation.SUM),
    (UnitKind.AMOUNT, Aggregation.SUM),
    (UnitKind.COUNT, Aggregation.SUM),
    (UnitKind.SCALE, Aggregation.LATEST),
    (UnitKind.COUNT, Aggregation.SUM),
    (UnitKind.PERCENTAGE, Aggregation.LATEST),
]
SCALE_LEVELS = [
    (1, "Non pris en compte", "Not taken into account"),
    (2, "Partiellement pris en compte", "Partly taken into account"),
    (3, "Largement pris en compte", "Largely taken into account"),
    (4, "Pleinement pris en compte", "Fully taken into account"),
]


@dataclass
class Profile:
    """How one indicator's figures are drawn."""

    indicator: object
    performance: float  # below 1 falls short of the targets, above 1 beats them
    base: int  # annual or stock level, or denominator scale
    baseline: Decimal | None
    targets: dict  # {year: Decimal}
    crossing: str  # "both", "sex", "region" or "" (no breakdown)


def create_indicators(ctx, results, opportunities):
    """The indicators, under results and opportunities in turn (every twelfth a sub-indicator
    of the one before), their links and targets; returns their profiles."""
    rng = ctx.rng
    owners = []  # alternately a result and one of its opportunities
    by_result = {}
    for opportunity in opportunities:
        by_result.setdefault(opportunity.result_id, []).append(opportunity)
    for result in results:
        owners.append((result, None))
        owners.extend((result, opportunity) for opportunity in by_result[result.pk])
    numbering = {}
    indicators, parents = [], {}
    for index in range(ctx.indicator_count):
        result, opportunity = owners[index % len(owners)]
        owner_code = opportunity.code if opportunity else result.code
        numbering[owner_code] = numbering.get(owner_code, 0) + 1
        unit_kind, aggregation = KINDS[index % len(KINDS)]
        decrease = index % len(KINDS) in (18, 19)
        code = f"{owner_code}-{numbering[owner_code]}"
        indicator = Indicator(
            result=result,
            opportunity=opportunity,
            code=code,
            name_fr=f"Indicateur synthétique {code} ({unit_kind.value})",
            name_en=f"Synthetic {unit_kind.value} indicator {code}",
            definition_fr="Définition synthétique.",
            definition_en="Synthetic definition.",
            unit_kind=unit_kind,
            aggregation=aggregation,
            direction=Indicator.Direction.DECREASE if decrease else Indicator.Direction.INCREASE,
            baseline_source=ctx.note,
            means_of_verification="Synthetic reports.",
            data_source=ctx.note,
            source_note=ctx.note,
        )
        indicators.append(indicator)
        # Every twelfth indicator is a sub-indicator of the one before it.
        if index % 12 == 11:
            parents[index] = index - 1
    profiles = [_profile(ctx, indicator, index) for index, indicator in enumerate(indicators)]
    for profile in profiles:
        indicator = profile.indicator
        indicator.baseline_value = profile.baseline
        indicator.baseline_year = ctx.years[0] - 1 if profile.baseline is not None else None
        indicator.target_value = profile.targets[ctx.years[-1]]
    in_parent_plan(indicators)
    top = [indicator for index, indicator in enumerate(indicators) if index not in parents]
    Indicator.objects.bulk_create(top, batch_size=BATCH)
    children = []
    for index, parent_index in parents.items():
        indicators[index].parent = indicators[parent_index]
        children.append(indicators[index])
    Indicator.objects.bulk_create(children, batch_size=BATCH)
    _indicator_links(ctx, profiles, rng)
    _targets(profiles)
    return profiles


def _profile(ctx, indicator, index):
    rng = ctx.rng
    years = ctx.years
    span = len(years)
    performance = rng.uniform(0.45, 1.3)
    kind = indicator.unit_kind
    decrease = indicator.direction == Indicator.Direction.DECREASE
    crossing = ""
    if ctx.breakdown and kind in (UnitKind.COUNT, UnitKind.AMOUNT):
        crossing = {3: "sex", 6: "region"}.get(index % 9, "both")
    if kind in (UnitKind.COUNT, UnitKind.AMOUNT) and indicator.aggregation == "sum":
        base = rng.choice([40, 120, 400, 1500, 6000])
        if kind == UnitKind.AMOUNT:
            base = rng.choice([5, 20, 80, 250]) * 1_000_000
        step = -0.08 if decrease else 0.12
        targets = {
            year: Decimal(round(base * (1 + step * (k + 1)))) for k, year in enumerate(years)
        }
        baseline = Decimal(base)
    elif kind == UnitKind.COUNT:  # a stock, such as women in a parliament
        base = rng.randint(10, 200)
        end = round(base * rng.uniform(1.5, 2.5))
        targets = {
            year: Decimal(round(base + (end - base) * (k + 1) / span))
            for k, year in enumerate(years)
        }
        baseline = Decimal(base)
    elif kind == UnitKind.PERCENTAGE:
        base = rng.randint(20, 400)  # typical denominator
        start = rng.randint(10, 40) if not decrease else rng.randint(40, 70)
        end = min(95, start + rng.randint(15, 40)) if not decrease else start - 25
        targets = {
            year: maths.rounded(Decimal(start + (end - start) * (k + 1) / span), 2)
            for k, year in enumerate(years)
        }
        baseline = Decimal(start)
    elif kind == UnitKind.MILESTONE:
        base = 0
        due = rng.randint(1, span - 1) if span > 1 else 0
        targets = {year: Decimal(int(k >= due)) for k, year in enumerate(years)}
        baseline = Decimal(0)
    else:  # scale 1..4
        base = 1
        targets = {
            year: Decimal(min(4, 1 + round(3 * (k + 1) / span))) for k, year in enumerate(years)
        }
        baseline = Decimal(1)
    return Profile(indicator, performance, base, baseline, targets, crossing)


def _indicator_links(ctx, profiles, rng):
    institutions = ctx.shared.institutions
    responsible = Indicator.responsible_institutions.through
    dimensions = Indicator.dimensions.through
    links, crossings = [], []
    for profile in profiles:
        indicator = profile.indicator
        chosen = rng.sample(institutions, rng.choice([1, 1, 2]))
        links.extend(
            responsible(indicator_id=indicator.pk, institution_id=institution.pk)
            for institution in chosen
        )
        for code in ("sex", "region"):
            if profile.crossing in (code, "both"):
                dimension = getattr(ctx.shared, f"{code}_dimension")
                crossings.append(dimensions(indicator_id=indicator.pk, dimension_id=dimension.pk))
    responsible.objects.bulk_create(links, batch_size=BATCH)
    dimensions.objects.bulk_create(crossings, batch_size=BATCH)
    ScaleLevel.objects.bulk_create(
        ScaleLevel(indicator=profile.indicator, value=value, name_fr=name_fr, name_en=name_en)
        for profile in profiles
        if profile.indicator.unit_kind == UnitKind.SCALE
        for value, name_fr, name_en in SCALE_LEVELS
    )


def _targets(profiles):
    AnnualTarget.objects.bulk_create(
        (
            AnnualTarget(indicator=profile.indicator, year=year, value=value)
            for profile in profiles
            for year, value in profile.targets.items()
        ),
        batch_size=BATCH,
    )
