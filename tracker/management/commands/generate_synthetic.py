"""Synthetic plans for the benchmark (bench/run.py) and for trying the application at scale:
the command line of tracker.synthetic, which generates them."""

import argparse
import time

from django.core.management.base import BaseCommand, CommandError

from tracker import synthetic
from tracker.models import (
    Activity,
    ActivityProgress,
    AnnualTarget,
    Axis,
    BreakdownRow,
    BudgetLine,
    CommitteeMeeting,
    Indicator,
    IndicatorValue,
    MeetingAttendance,
    Opportunity,
    Plan,
    Result,
    ScaleLevel,
)

MODELS_COUNTED = [
    Plan,
    Axis,
    Result,
    Opportunity,
    Indicator,
    ScaleLevel,
    AnnualTarget,
    IndicatorValue,
    BreakdownRow,
    Activity,
    BudgetLine,
    ActivityProgress,
    CommitteeMeeting,
    MeetingAttendance,
]


class Command(BaseCommand):
    help = (
        "Generate deterministic synthetic plans (labelled synthetic in the data: country "
        f"'{synthetic.COUNTRY}', titles starting '{synthetic.TITLE_PREFIX}', every source note "
        "saying so) with axes, results, opportunities, indicators of every unit kind, annual "
        "targets, validated and pending values for every quarter with sex x region breakdowns, "
        "activities, budget lines, activity progress and committee meetings. Plans whose slug "
        "exists are skipped. Rows are bulk-inserted: no history (simple_history) rows are "
        "written for the generated reporting data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--plans", type=int, default=1, help="Number of plans (default 1).")
        parser.add_argument(
            "--indicators", type=int, default=60, help="Indicators per plan (default 60)."
        )
        parser.add_argument("--seed", type=int, default=1325, help="Random seed (default 1325).")
        parser.add_argument(
            "--years",
            type=int,
            default=5,
            help=f"Plan length from {synthetic.FIRST_YEAR} (default 5).",
        )
        parser.add_argument(
            "--breakdown",
            action=argparse.BooleanOptionalAction,
            default=True,
            help="Disaggregate counts and amounts by sex and region (default: yes).",
        )
        parser.add_argument(
            "--prefix", default="synthetic", help="Slug prefix (default 'synthetic')."
        )

    def handle(self, *args, **options):
        plans, indicators, years = options["plans"], options["indicators"], options["years"]
        if plans < 1 or indicators < 1 or not 1 <= years <= 20:
            raise CommandError("--plans and --indicators must be at least 1, --years 1 to 20.")
        started = time.monotonic()

        def progress(number):
            if options["verbosity"] >= 2 or (plans >= 10 and number % 10 == 0):
                elapsed = time.monotonic() - started
                self.stdout.write(f"  plan {number}/{plans} ({elapsed:.1f} s)")

        before = {model: model.objects.count() for model in MODELS_COUNTED}
        outcome = synthetic.generate(
            plans=plans,
            indicators=indicators,
            seed=options["seed"],
            years=years,
            breakdown=options["breakdown"],
            prefix=options["prefix"],
            on_plan=progress,
        )
        elapsed = time.monotonic() - started
        self.stdout.write(
            f"{outcome.created} synthetic plan(s) generated, {outcome.skipped} already present, "
            f"in {elapsed:.1f} s. Rows added:"
        )
        for model in MODELS_COUNTED:
            added = model.objects.count() - before[model]
            self.stdout.write(f"  {model._meta.object_name:<18} {added:>10,}")
