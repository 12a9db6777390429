"""A digest of a plan's figures, for the tests of the synthetic data generator: two plans
generated from the same seed must have the same one."""

import hashlib
from decimal import Decimal

from tracker.models import (
    ActivityProgress,
    AnnualTarget,
    BreakdownRow,
    BudgetLine,
    Indicator,
    IndicatorValue,
)


def plan_digest(plan):
    """A SHA-256 of a plan's generated figures (framework, targets, values, breakdowns,
    budget), independent of primary keys and slugs: the same seed gives the same digest."""
    digest = hashlib.sha256()

    def feed(rows):
        for row in rows:
            digest.update(repr(tuple(_plain(cell) for cell in row)).encode())

    feed(
        Indicator.objects.filter(plan=plan)
        .order_by("code")
        .values_list(
            "code",
            "unit_kind",
            "aggregation",
            "direction",
            "baseline_value",
            "target_value",
            "parent__code",
            "opportunity__code",
            "result__code",
        )
    )
    feed(
        Indicator.responsible_institutions.through.objects.filter(indicator__plan=plan)
        .order_by("indicator__code", "institution__acronym")
        .values_list("indicator__code", "institution__acronym")
    )
    feed(
        AnnualTarget.objects.filter(indicator__plan=plan)
        .order_by("indicator__code", "year")
        .values_list("indicator__code", "year", "value")
    )
    feed(
        IndicatorValue.objects.filter(indicator__plan=plan)
        .order_by("indicator__code", "period__year", "period__quarter")
        .values_list(
            "indicator__code",
            "period__year",
            "period__quarter",
            "value",
            "numerator",
            "denominator",
            "status",
        )
    )
    feed(
        BreakdownRow.objects.filter(indicator_value__indicator__plan=plan)
        .order_by(
            "indicator_value__indicator__code",
            "indicator_value__period__year",
            "indicator_value__period__quarter",
            "category__code",
            "cross_category__code",
        )
        .values_list(
            "indicator_value__indicator__code",
            "indicator_value__period__year",
            "indicator_value__period__quarter",
            "category__code",
            "cross_category__code",
            "value",
        )
    )
    feed(
        BudgetLine.objects.filter(activity__plan=plan)
        .order_by("activity__code", "year", "funding_source__name_en")
        .values_list("activity__code", "year", "funding_source__name_en", "planned_amount")
    )
    feed(
        ActivityProgress.objects.filter(activity__plan=plan)
        .order_by("activity__code", "period__year", "period__quarter")
        .values_list(
            "activity__code",
            "period__year",
            "period__quarter",
            "status",
            "percent_complete",
            "amount_spent",
        )
    )
    return digest.hexdigest()


def _plain(cell):
    # SQLite and PostgreSQL hand decimals back with different scales.
    if isinstance(cell, Decimal):
        return format(cell.normalize(), "f")
    return cell
