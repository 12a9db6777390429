"""A synthetic plan's reported figures: a value for every indicator and quarter, drawn from the
indicator's profile (older quarters mostly validated, the last two still being reported), and
the sex and region breakdown cells of counts and amounts, adding up to the value."""

import datetime
from decimal import Decimal

from tracker.models import BreakdownRow, Indicator, IndicatorValue

from .common import BATCH

UnitKind = Indicator.UnitKind
Status = IndicatorValue.Status


def _status(ctx, position):
    """Older quarters are validated; the last two are still being reported."""
    roll = ctx.rng.random()
    from_end = len(ctx.periods) - 1 - position
    if from_end == 0:
        bands = ((0.15, Status.VALIDATED), (0.55, Status.SUBMITTED), (0.9, Status.DRAFT))
    elif from_end == 1:
        bands = ((0.5, Status.VALIDATED), (0.85, Status.SUBMITTED), (0.97, Status.DRAFT))
    else:
        bands = ((0.94, Status.VALIDATED), (0.97, Status.SUBMITTED), (0.99, Status.DRAFT))
    for limit, status in bands:
        if roll < limit:
            return status
    return Status.RETURNED


def create_values(ctx, profiles):
    """A value per indicator and quarter, with its breakdown cells, written in batches."""
    rng = ctx.rng
    values, cells = [], []
    span = len(ctx.periods)
    for profile in profiles:
        for position, period in enumerate(ctx.periods):
            figure = _figure(ctx, profile, position, span, period)
            status = _status(ctx, position)
            submitted = datetime.datetime.combine(
                period.end_date + datetime.timedelta(days=rng.randint(5, 40)),
                datetime.time(10, 0),
                tzinfo=datetime.UTC,
            )
            value = IndicatorValue(
                indicator=profile.indicator,
                period=period,
                status=status,
                narrative=f"Synthetic figure for {period.label}.",
                source=ctx.note,
                entered_by=ctx.shared.entry_user,
                # What services.submit writes; a draft was never submitted.
                submitted_at=submitted if status != Status.DRAFT else None,
                submitted_by=ctx.shared.entry_user if status != Status.DRAFT else None,
                version=1,
                **figure,
            )
            if value.denominator:
                # As IndicatorValue.save() does, which bulk_create skips: a percentage is
                # derived from its numerator and denominator, by the model's own rule.
                value.value = value.percentage
            if status == Status.VALIDATED:
                value.validated_by = ctx.shared.validator
                value.validated_at = submitted + datetime.timedelta(days=rng.randint(1, 20))
            elif status == Status.RETURNED:
                value.return_reason = "Synthetic return: check the source."
            values.append(value)
            if profile.crossing:
                cells.append((value, _cells(ctx, profile, figure["value"])))
        if len(values) >= BATCH:
            _flush_values(values, cells)
            values, cells = [], []
    _flush_values(values, cells)


def _flush_values(values, cells):
    IndicatorValue.objects.bulk_create(values, batch_size=BATCH)
    rows = [
        BreakdownRow(
            indicator_value_id=value.pk,
            category_id=category,
            cross_category_id=cross,
            value=amount,
        )
        for value, value_cells in cells
        for category, cross, amount in value_cells
    ]
    BreakdownRow.objects.bulk_create(rows, batch_size=BATCH)


def _figure(ctx, profile, position, span, period):
    """The fields value / numerator / denominator of one quarter."""
    rng = ctx.rng
    indicator = profile.indicator
    kind = indicator.unit_kind
    target = profile.targets[period.year]
    progress = (position + 1) / span
    performance = profile.performance
    if indicator.direction == Indicator.Direction.DECREASE:
        performance = 2 - performance
    noise = rng.uniform(0.75, 1.25)
    if kind in (UnitKind.COUNT, UnitKind.AMOUNT) and indicator.aggregation == "sum":
        amount = max(0, round(float(target) / 4 * performance * noise))
        return {"value": Decimal(amount), "numerator": None, "denominator": None}
    if kind == UnitKind.COUNT:
        level = float(target) * (0.6 + 0.4 * performance) * rng.uniform(0.95, 1.05)
        return {"value": Decimal(max(0, round(level))), "numerator": None, "denominator": None}
    if kind == UnitKind.PERCENTAGE:
        denominator = max(1, round(profile.base * rng.uniform(0.7, 1.3)))
        rate = min(100.0, float(target) * performance * rng.uniform(0.9, 1.1))
        numerator = min(denominator, max(0, round(denominator * rate / 100)))
        # The value is the model's to derive (create_values).
        return {"value": None, "numerator": Decimal(numerator), "denominator": Decimal(denominator)}
    if kind == UnitKind.MILESTONE:
        reached = progress * performance >= 0.5
        return {"value": Decimal(int(reached)), "numerator": None, "denominator": None}
    level = max(1, min(4, round(1 + 3 * progress * performance)))
    return {"value": Decimal(level), "numerator": None, "denominator": None}


def _cells(ctx, profile, total):
    """[(category id, cross category id, amount)] adding up exactly to `total`."""
    rng = ctx.rng
    sex, regions = ctx.shared.sex, ctx.shared.regions
    if profile.crossing == "both":
        keys = [(s.pk, r.pk) for s in sex for r in regions]
        weights = [
            (0.6 if s is sex[0] else 0.4) * (0.5 + rng.random()) for s in sex for _r in regions
        ]
    elif profile.crossing == "sex":
        keys = [(s.pk, None) for s in sex]
        weights = [0.6 * (0.5 + rng.random()), 0.4 * (0.5 + rng.random())]
    else:
        keys = [(r.pk, None) for r in regions]
        weights = [0.5 + rng.random() for _r in regions]
    whole = int(total)
    scale = whole / sum(weights)
    amounts = [int(weight * scale) for weight in weights]
    # Hand the rounding remainder out one by one, so the cells add up to the total.
    for index in range(whole - sum(amounts)):
        amounts[index % len(amounts)] += 1
    return [(key[0], key[1], Decimal(amount)) for key, amount in zip(keys, amounts, strict=True)]
