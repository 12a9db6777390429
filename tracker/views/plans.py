from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render

from tracker import dashboard, progress
from tracker.access import Right, plan_view
from tracker.figures import read_scale_levels
from tracker.models import Indicator, IndicatorValue
from tracker.views.inbox import inbox_page, landing_page


@login_not_required
def home(request):
    """What waits for a signed-in user; the public plans for a visitor."""
    if request.user.is_authenticated:
        return inbox_page(request)
    return landing_page(request)


def render_plan_page(request, access, template, context=None, status=200):
    """Every plan page gets its plan and the user's rights, which its template asks (never
    group names) what to show."""
    return render(
        request,
        template,
        {"plan": access.plan, "access": access, **(context or {})},
        status=status,
    )


def selected_year(request, plan):
    """?year= within the plan's span, else the plan's current year."""
    raw = request.GET.get("year", "")
    if raw.isdigit() and int(raw) in plan.years:
        return int(raw)
    return plan.current_year()


@plan_view(Right.READ_PUBLISHED)
def plan_detail(request, access):
    """The plan dashboard; read-only, validated figures only, for visitors of a public plan."""
    plan = access.plan
    year = selected_year(request, plan)
    axes = list(plan.axes.all())
    summaries, figures = dashboard.axis_summaries(plan, axes, year)
    period = dashboard.current_period(plan)
    planned, spent, by_source = dashboard.budget_execution(plan, year)
    latest = list(IndicatorValue.objects.latest_validated(plan))
    read_scale_levels(value.indicator for value in latest)
    budget_rows = [
        {"axis": axis, "planned": planned.get(axis.pk), "spent": spent.get(axis.pk)}
        for axis in axes
    ]
    return render_plan_page(
        request,
        access,
        "tracker/dashboard.html",
        {
            "year": year,
            "summaries": summaries,
            "totals": progress.count_statuses(figure.status for figure in figures),
            "statuses": list(progress.Status),
            "period": period,
            "completeness": dashboard.period_completeness(plan, period) if period else None,
            "budget_rows": budget_rows,
            "budget_total": {
                "planned": sum(v for v in planned.values() if v) or None,
                "spent": sum(v for v in spent.values() if v) or None,
            },
            "by_source": by_source,
            "latest": latest,
            "published_years": dashboard.published_years(plan),
            "public_view": access.public_view,
        },
    )


@plan_view(Right.READ)
def framework(request, access):
    """The framework tree, each indicator with its latest validated value."""
    return render_plan_page(
        request,
        access,
        "tracker/plan_detail.html",
        {"axes": Indicator.objects.framework_tree(access.plan)},
    )
