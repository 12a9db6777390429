"""Who has reported what: institutions × periods (DESIGN.md §3 completeness, §4), shaped for
the completeness page from four named reads."""

from tracker import progress
from tracker.formatting import format_number
from tracker.models import Indicator, IndicatorValue, Institution

STATUSES = IndicatorValue.Status.values


def percent(part, whole):
    """part ÷ whole as the page prints it before " %": progress.completeness, in points, with
    one decimal in the active language ("66,7"); None when nothing was due."""
    share = progress.completeness(whole, part)
    if share is None:
        return None
    return format_number(progress.share_as_points(share), progress.PERCENT_PLACES)


def default_year(plan, periods):
    """The year of the latest open period, else the plan's last year."""
    open_years = [period.year for period in periods if period.is_open]
    return max(open_years) if open_years else plan.end_year


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
    institutions = list(Institution.objects.responsible_in(plan))
    counts = IndicatorValue.objects.status_counts_by_institution(plan, wanted)
    indicators_due = Indicator.objects.due_by_frequency(plan)
    reported_by_period = IndicatorValue.objects.reported_by_period(plan, wanted)

    def cell(institution, period):
        row = counts.get((institution.pk, period.pk), {})
        due = getattr(institution, f"due_{period.frequency}")
        cell = {"period": period, "due": due, **{name: row.get(name, 0) for name in STATUSES}}
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
