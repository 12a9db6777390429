"""Who has reported what: institutions × periods (DESIGN.md §3 completeness, §4)."""

from django.db.models import Count, Q

from tracker import progress
from tracker.access import Right, plan_view
from tracker.formatting import format_number
from tracker.models import Indicator, IndicatorValue, Institution
from tracker.views.plans import render_plan_page

Status = IndicatorValue.Status


def percent(part, whole):
    """part ÷ whole as the page prints it before " %": progress.completeness, in points, with
    one decimal in the active language ("66,7"); None when nothing was due."""
    share = progress.completeness(whole, part)
    if share is None:
        return None
    return format_number(progress.share_as_points(share), progress.PERCENT_PLACES)


def completeness_grid(plan, periods, year):
    """Institutions × the year's periods, and who has not reported in the open periods.

    An institution is due, in every quarter, a value for each quarterly indicator of the plan
    it is responsible for, and in the whole year one for each annual indicator; it has
    reported one when the value is submitted or validated. The plan as a whole is due a value
    for each of its indicators at their frequency. Four queries whatever the number of
    institutions, indicators and periods."""
    year_periods = [period for period in periods if period.year == year]
    open_periods = [period for period in periods if period.is_open]
    wanted = {period.pk for period in year_periods + open_periods}

    quarterly, annual = Indicator.Frequency.QUARTERLY, Indicator.Frequency.ANNUAL

    def due_at(frequency):
        return Count(
            "indicators",
            filter=Q(indicators__plan=plan, indicators__reporting_frequency=frequency),
            distinct=True,
        )

    institutions = list(
        Institution.objects.annotate(due_quarterly=due_at(quarterly), due_annual=due_at(annual))
        .filter(Q(due_quarterly__gt=0) | Q(due_annual__gt=0))
        .order_by("acronym", "name")
    )
    # Only values at the indicator's own frequency count: an in-year observation of an annual
    # indicator is not its report.
    at_frequency = Q(period__quarter__isnull=False, indicator__reporting_frequency=quarterly) | Q(
        period__quarter__isnull=True, indicator__reporting_frequency=annual
    )

    def count(status):
        return Count("indicator", filter=Q(status=status), distinct=True)

    counts = {
        (row["indicator__responsible_institutions"], row["period"]): row
        for row in IndicatorValue.objects.filter(
            at_frequency, indicator__plan=plan, period__in=wanted
        )
        .values("indicator__responsible_institutions", "period")
        .annotate(
            draft=count(Status.DRAFT),
            submitted=count(Status.SUBMITTED),
            validated=count(Status.VALIDATED),
            returned=count(Status.RETURNED),
        )
        .order_by()
    }
    # The plan as a whole: indicators with a submitted or validated value ÷ all indicators.
    indicators_due = Indicator.objects.filter(plan=plan).aggregate(
        quarterly=Count("pk", filter=Q(reporting_frequency=quarterly)),
        annual=Count("pk", filter=Q(reporting_frequency=annual)),
    )
    reported_by_period = dict(
        IndicatorValue.objects.filter(
            at_frequency,
            indicator__plan=plan,
            period__in=wanted,
            status__in=[Status.SUBMITTED, Status.VALIDATED],
        )
        .values("period")
        .annotate(reported=Count("indicator", distinct=True))
        .values_list("period", "reported")
        .order_by()
    )

    def cell(institution, period):
        row = counts.get((institution.pk, period.pk), {})
        due = getattr(institution, f"due_{period.frequency}")
        cell = {
            "period": period,
            "due": due,
            **{name: row.get(name, 0) for name in ("draft", "submitted", "validated", "returned")},
        }
        cell["reported"] = cell["submitted"] + cell["validated"]
        cell["missing"] = due - cell["reported"]
        cell["complete"] = cell["missing"] <= 0
        cell["percent"] = percent(cell["reported"], due)
        return cell

    def totals(period):
        reported = reported_by_period.get(period.pk, 0)
        due = indicators_due[period.frequency]
        return {
            "period": period,
            "due": due,
            "reported": reported,
            "percent": percent(reported, due),
        }

    rows = [
        {"institution": institution, "cells": [cell(institution, p) for p in year_periods]}
        for institution in institutions
    ]
    not_reported = [
        {
            **totals(period),
            "institutions": [
                {"institution": institution, **cell(institution, period)}
                for institution in institutions
                if not cell(institution, period)["complete"]
            ],
        }
        for period in open_periods
    ]
    return {
        "periods": year_periods,
        "rows": rows,
        "totals": [totals(period) for period in year_periods],
        "indicators_due": indicators_due,
        "not_reported": not_reported,
    }


def default_year(plan, periods):
    """The year of the latest open period, else the plan's last year."""
    open_years = [period.year for period in periods if period.is_open]
    return max(open_years) if open_years else plan.end_year


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
        {
            "year": year,
            "years": plan.years,
            **completeness_grid(plan, periods, year),
        },
    )
