"""The synthetic data measured: the plans of the size, generated once by `manage.py
generate_synthetic` (each plan is one transaction, so a plan that exists is complete and an
interrupted generation resumes), and how much of it there is."""

import time

from django.core.management import call_command

from tracker.models import BreakdownRow, Indicator, IndicatorValue, Plan

from . import databases
from .common import INDICATORS, SEED, SIZES


def generate_missing(size):
    """Generates the synthetic plans the size lacks; says whether it did, and how long it took."""
    wanted = SIZES[size]
    present = Plan.objects.filter(slug__startswith=f"synthetic-{SEED}-").count()
    if present >= wanted:
        return {"generated": False, "seconds": None}
    print(f"Generating {wanted - present} synthetic plan(s) ...", flush=True)
    started = time.monotonic()
    call_command("generate_synthetic", plans=wanted, indicators=INDICATORS, seed=SEED)
    return {"generated": True, "seconds": round(time.monotonic() - started, 1)}


def counts(plan):
    """The rows of the whole database and of the measured plan, and the database's size."""
    return {
        "plans": Plan.objects.filter(country="Synthetic").count(),
        "indicators": Indicator.objects.count(),
        "values": IndicatorValue.objects.count(),
        "breakdown_rows": BreakdownRow.objects.count(),
        "plan_values": IndicatorValue.objects.filter(indicator__plan=plan).count(),
        "plan_breakdown_rows": BreakdownRow.objects.filter(
            indicator_value__indicator__plan=plan
        ).count(),
        "database_mb": databases.size_mb(),
    }
