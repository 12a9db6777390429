from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import get_object_or_404, redirect, render

from tracker import dashboard, progress
from tracker.models import Plan


def home(request):
    return redirect("plan-detail", slug=settings.DEFAULT_PLAN_SLUG)


def selected_year(request, plan):
    """?year= within the plan's span, else the plan's current year."""
    raw = request.GET.get("year", "")
    if raw.isdigit() and int(raw) in plan.years:
        return int(raw)
    return plan.current_year()


@login_not_required
def plan_detail(request, slug):
    """The plan dashboard; read-only for anonymous visitors when the plan is public."""
    plan = get_object_or_404(Plan.objects.select_related("lead_institution"), slug=slug)
    public_view = not request.user.is_authenticated
    if public_view and not plan.is_public:
        return redirect_to_login(request.get_full_path())
    year = selected_year(request, plan)
    axes = list(plan.axes.all())
    summaries, figures = dashboard.axis_summaries(plan, axes, year)
    period = dashboard.current_period(plan)
    planned, spent, by_source = dashboard.budget_execution(plan, year)
    budget_rows = [
        {"axis": axis, "planned": planned.get(axis.pk), "spent": spent.get(axis.pk)}
        for axis in axes
    ]
    return render(
        request,
        "tracker/dashboard.html",
        {
            "plan": plan,
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
            "latest": dashboard.latest_validated(plan),
            "published_years": dashboard.published_years(plan),
            "public_view": public_view,
        },
    )


def framework(request, slug):
    """The framework tree, each indicator with its latest validated value."""
    plan = get_object_or_404(Plan.objects.select_related("lead_institution"), slug=slug)
    return render(
        request, "tracker/plan_detail.html", {"plan": plan, "axes": plan.framework_tree()}
    )
