"""The completeness page: who has reported what (tracker/completeness.py)."""

from tracker.access import Right, plan_view
from tracker.completeness import completeness_grid, default_year
from tracker.views.plans import render_plan_page


@plan_view(Right.FOLLOW_COMPLETENESS)
def completeness(request, access):
    plan = access.plan
    periods = list(plan.reporting_periods.chronological())
    chosen = request.GET.get("year", "")
    year = int(chosen) if chosen.isdigit() and int(chosen) in plan.years else None
    year = year or default_year(plan, periods)
    return render_plan_page(
        request,
        access,
        "tracker/completeness.html",
        {"year": year, "years": plan.years, **completeness_grid(plan, periods, year)},
    )
