"""A synthetic plan and the top of its results framework: the plan (with its periods, made by
the service that makes every plan's), its axes, results and opportunities."""

import datetime

from tracker import services
from tracker.models import Axis, Opportunity, Plan, Result

from .common import COUNTRY, TITLE_PREFIX, in_parent_plan

AXES = 4
RESULTS_PER_AXIS = 3
OPPORTUNITIES_PER_RESULT = 2
THEMES = [
    ("Prévention", "Prevention"),
    ("Participation", "Participation"),
    ("Protection", "Protection"),
    ("Relèvement", "Relief and recovery"),
]


def create_plan(ctx):
    """Saves the plan and its reporting periods; sets ctx.plan and ctx.periods."""
    rng = ctx.rng
    plan = Plan(
        country=COUNTRY,
        title_fr=f"{TITLE_PREFIX} Plan d'action national synthétique n° {ctx.number}"
        f" (graine {ctx.seed})",
        title_en=f"{TITLE_PREFIX} Synthetic national action plan no. {ctx.number}"
        f" (seed {ctx.seed})",
        slug=ctx.slug,
        start_year=ctx.years[0],
        end_year=ctx.years[-1],
        adopted_in=ctx.years[0],
        signed_on=datetime.date(ctx.years[0], rng.randint(1, 6), rng.randint(1, 28)),
        lead_institution=ctx.shared.institutions[0],
        aim_fr="Données synthétiques pour mesurer les performances ; pas un vrai plan.",
        aim_en="Synthetic data to measure performance; not a real plan.",
        source_note=ctx.note,
    )
    plan.save()
    services.generate_periods(plan=plan)
    ctx.plan = plan
    # Synthetic indicators are all quarterly: the whole-year periods stay empty.
    ctx.periods = list(plan.reporting_periods.quarters().order_by("year", "quarter"))
    return plan


def create_framework(ctx):
    """The plan's axes, results and opportunities; returns (results, opportunities)."""
    axes = Axis.objects.bulk_create(
        Axis(
            plan=ctx.plan,
            number=number,
            name_fr=f"{THEMES[(number - 1) % 4][0]} (axe synthétique {number})",
            name_en=f"{THEMES[(number - 1) % 4][1]} (synthetic axis {number})",
            objective_fr=f"Objectif synthétique de l'axe {number}.",
            objective_en=f"Synthetic objective of axis {number}.",
            source_note=ctx.note,
        )
        for number in range(1, AXES + 1)
    )
    results = Result.objects.bulk_create(
        in_parent_plan(
            Result(
                axis=axis,
                code=f"{axis.number}.{index}",
                statement_fr=f"Résultat synthétique {axis.number}.{index}.",
                statement_en=f"Synthetic result {axis.number}.{index}.",
                source_note=ctx.note,
            )
            for axis in axes
            for index in range(1, RESULTS_PER_AXIS + 1)
        )
    )
    opportunities = Opportunity.objects.bulk_create(
        in_parent_plan(
            Opportunity(
                result=result,
                code=f"{result.code}.{index}",
                statement_fr=f"Opportunité synthétique {result.code}.{index}.",
                statement_en=f"Synthetic opportunity {result.code}.{index}.",
                source_note=ctx.note,
            )
            for result in results
            for index in range(1, OPPORTUNITIES_PER_RESULT + 1)
        )
    )
    return results, opportunities
