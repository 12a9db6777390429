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

    An institution is due, in every period, a value for each indicator of the plan it is
    responsible for; it has reported one when the value is submitted or validated. The plan as
    a whole is due a value for each of its indicators. Four queries whatever the number of
    institutions, indicators and periods."""
    year_periods = [period for period in periods if period.year == year]
    open_periods = [period for period in periods if period.is_open]
    wanted = {period.pk for period in year_periods + open_periods}

    institutions = list(
        Institution.objects.annotate(
            due=Count("indicators", filter=Q(indicators__plan=plan), distinct=True)
        )
        .filter(due__gt=0)
        .order_by("acronym", "name")
    )

    def count(status):
        return Count("indicator", filter=Q(status=status), distinct=True)

    counts = {
        (row["indicator__responsible_institutions"], row["period"]): row
        for row in IndicatorValue.objects.filter(indicator__plan=plan, period__in=wanted)
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
    indicators_due = Indicator.objects.filter(plan=plan).count()
    reported_by_period = dict(
        IndicatorValue.objects.filter(
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
        cell = {
            "period": period,
            "due": institution.due,
            **{name: row.get(name, 0) for name in ("draft", "submitted", "validated", "returned")},
        }
        cell["reported"] = cell["submitted"] + cell["validated"]
        cell["missing"] = institution.due - cell["reported"]
        cell["complete"] = cell["missing"] <= 0
        cell["percent"] = percent(cell["reported"], institution.due)
        return cell

    def totals(period):
        reported = reported_by_period.get(period.pk, 0)
        return {
            "period": period,
            "due": indicators_due,
            "reported": reported,
            "percent": percent(reported, indicators_due),
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
        "not_reported": not_reported,
    }


def default_year(plan, periods):
    """The year of the latest open period, else the plan's last year."""
    open_years = [period.year for period in periods if period.is_open]
    return max(open_years) if open_years else plan.end_year


@plan_view(Right.FOLLOW_COMPLETENESS)
def completeness(request, access):
    plan = access.plan
    periods = list(plan.reporting_periods.order_by("year", "quarter"))
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
