"""The annual report of a plan (DESIGN.md §5): one set of figures, built from validated values
only, that the HTML page, the PDF, the XLSX and the CSV all render.

The figures are plain data (strings, numbers, lists) so that a published report can be kept as
JSON exactly as it was published; Decimal values travel as strings and come back as Decimal."""

import functools
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext

from tracker import dashboard, progress
from tracker.figures import year_figures
from tracker.models import (
    Activity,
    ActivityProgress,
    BudgetLine,
    CommitteeMeeting,
    Indicator,
    IndicatorValue,
    Source,
    chronological_key,
    period_label,
)

NARRATIVE_SECTIONS = ("summary", "achievements", "challenges", "recommendations")


def _text(number):
    return None if number is None else format(Decimal(number).normalize(), "f")


def build(plan, year):
    """The report's figures for `plan` and `year`, as JSON-ready data."""
    axes = list(plan.axes.order_by("number"))  # the default ordering would join the plan
    figures = year_figures(
        plan, Indicator.objects.filter(plan=plan).order_by("code"), year, with_related=False
    )
    by_axis = defaultdict(list)
    for figure in figures:
        by_axis[figure.indicator.result.axis_id].append(_indicator_row(figure))
    planned, spent, by_source = dashboard.budget_execution(plan, year)
    statuses = progress.count_statuses(figure.status for figure in figures)
    return {
        "plan": {
            "slug": plan.slug,
            "title": plan.title,
            "country": plan.country,
            "start_year": plan.start_year,
            "end_year": plan.end_year,
        },
        "year": year,
        "built_at": timezone.now().isoformat(),
        "summary": {
            "indicators": len(figures),
            "with_data": sum(1 for figure in figures if figure.annual_value is not None),
            "statuses": {status.value: count for status, count in statuses.items()},
            "validated_values": sum(len(figure.quarters) for figure in figures),
            "planned": _text(sum(v for v in planned.values() if v) or None),
            "spent": _text(sum(v for v in spent.values() if v) or None),
        },
        "axes": [
            {
                "number": axis.number,
                "name": axis.name,
                "objective": axis.objective,
                "indicators": by_axis.get(axis.pk, []),
            }
            for axis in axes
        ],
        "activities": _activities(plan, year),
        "budget": {
            "by_axis": [
                {
                    "axis": axis.number,
                    "name": axis.name,
                    "planned": _text(planned.get(axis.pk)),
                    "spent": _text(spent.get(axis.pk)),
                }
                for axis in axes
            ],
            "by_source": [
                {"source": row["name"], "planned": _text(row["planned"])} for row in by_source
            ],
        },
        "meetings": _meetings(plan, year),
        "sources": _sources(plan, year, [figure.indicator for figure in figures]),
    }


def _indicator_row(figure):
    indicator = figure.indicator
    return {
        "code": indicator.code,
        "name": indicator.name,
        "result": indicator.result.code,
        "unit_kind": indicator.unit_kind,
        "baseline": _text(indicator.baseline_value),
        "baseline_year": indicator.baseline_year,
        "target": _text(figure.annual_target),
        "quarters": [
            None
            if quarter is None
            else {
                "value": _text(quarter.value),
                "numerator": _text(quarter.numerator),
                "denominator": _text(quarter.denominator),
                "qualifier": quarter.qualifier,
            }
            for quarter in figure.quarter_list
        ],
        "annual": _text(figure.annual_value),
        "annual_qualifier": figure.annual_qualifier,
        "basis": figure.basis.value,
        "status": figure.status.value,
        "progress": _text(figure.progress),
        # What a figure without a target says: how it moved, and whether for the better.
        "previous": _text(figure.previous_value),
        "change_from_baseline": _change(figure.change_from_baseline),
        "change_from_previous": _change(figure.change_from_previous),
        "breakdown_quarters": list(figure.breakdown_quarters),
        "breakdown_covers": _text(figure.breakdown_covers),
        "breakdown": [
            {
                "dimension": cell.category.dimension_label,
                "category": cell.category.label,
                "cross_dimension": cell.cross_category.dimension_label
                if cell.cross_category
                else None,
                "cross_category": cell.cross_category.label if cell.cross_category else None,
                "value": _text(cell.value),
            }
            for cell in figure.breakdown
        ],
    }


def _change(change):
    if change is None:
        return None
    return {"difference": _text(change.difference), "trend": change.trend.value}


def _activities(plan, year):
    """Each activity running in the year with its latest progress report of the year (its
    whole-year report where it has no quarterly one) and the amounts planned and spent. The
    year's reports are read once, as plain rows: the latest of each and the sum of what they
    spent are taken from them here."""
    reports = defaultdict(dict)  # {activity id: {quarter or None: (status, percent complete)}}
    spent = {}
    for activity_id, quarter, status, percent_complete, amount in (
        ActivityProgress.objects.filter(activity__plan=plan, period__year=year)
        .order_by()
        .values_list("activity_id", "period__quarter", "status", "percent_complete", "amount_spent")
    ):
        reports[activity_id][quarter] = (status, percent_complete)
        if amount is not None:  # as SUM() in the database: missing amounts are left out
            spent[activity_id] = spent.get(activity_id, 0) + amount
    planned = dict(
        BudgetLine.objects.filter(activity__plan=plan, year=year)
        .order_by()
        .values("activity")
        .annotate(total=Sum("planned_amount"))
        .values_list("activity", "total")
    )
    status_labels = dict(ActivityProgress.Status.choices)
    rows = []
    for activity in (
        Activity.objects.filter(plan=plan, start_year__lte=year, end_year__gte=year)
        .select_related("lead_institution")
        .order_by("code")
    ):
        report = _latest(reports.get(activity.pk, {}))
        status, percent_complete = report or (None, None)
        rows.append(
            {
                "code": activity.code,
                "title": activity.title,
                "lead": activity.lead_institution.short_name,
                "status": status,
                "status_label": str(status_labels.get(status, status)) if report else None,
                "percent_complete": percent_complete,
                "planned": _text(planned.get(activity.pk)),
                "spent": _text(spent.get(activity.pk)),
            }
        )
    return rows


def _latest(by_quarter):
    """The report of the latest quarter, or the whole-year report where no quarter has one."""
    quarters = [quarter for quarter in by_quarter if quarter is not None]
    return by_quarter.get(max(quarters) if quarters else None)


def _meetings(plan, year):
    """The year's committee meetings with their attendance counted in the same query."""
    meetings = (
        CommitteeMeeting.objects.filter(period__plan=plan, period__year=year)
        .annotate(
            institutions=Count("attendance"),
            women=Coalesce(Sum("attendance__women_present"), 0),
            men=Coalesce(Sum("attendance__men_present"), 0),
        )
        # The primary key orders meetings of the same day, which the date alone left to chance.
        .order_by("date", "pk")
        .values_list(
            "date",
            "place",
            "period__year",
            "period__quarter",
            "institutions",
            "women",
            "men",
            "decisions",
        )
    )
    return [
        {
            "date": date.isoformat(),
            "place": place,
            "period": period_label(period_year, quarter),
            "institutions": institutions,
            "women": women,
            "men": men,
            "decisions": decisions,
        }
        for date, place, period_year, quarter, institutions, women, men, decisions in meetings
    ]


def _sources(plan, year, indicators):
    """The annex: each publication the year's counted figures cite, once, with the figures
    that cite it. Citations only: internal notes never reach a report (DESIGN.md §2). Read as
    plain rows (a plan's year holds hundreds of values), each publication and period label
    made once. `indicators`: the plan's, by code as the report lists them, which give the
    figures their codes and order without joining every indicator of the database again."""
    order = {
        indicator.pk: (position, indicator.code) for position, indicator in enumerate(indicators)
    }
    rows = sorted(
        IndicatorValue.objects.validated()
        .of_plan_year(plan, year)
        .filter(indicator_id__in=list(order))
        .order_by()
        .values_list("indicator_id", "period__year", "period__quarter", "citation", "source"),
        key=lambda row: (order[row[0]][0], *chronological_key(row[1], row[2])),
    )
    publications = Source.objects.in_bulk({row[3] for row in rows if row[3]})
    label = functools.cache(period_label)
    cited = defaultdict(list)
    addresses = {}
    for indicator_id, period_year, quarter, citation_id, typed in rows:
        code = order[indicator_id][1]
        publication = publications.get(citation_id)
        citation = publication.citation if publication else typed or gettext("No source given")
        cited[citation].append(f"{code} ({label(period_year, quarter)})")
        addresses[citation] = publication.address if publication else ""
    return [
        {"source": citation, "address": addresses[citation], "figures": ", ".join(figures)}
        for citation, figures in sorted(cited.items())
    ]


def value_versions(plan, year):
    """{value id: version} of the validated values a report of this year counts; kept with a
    published report to tell how many have changed since."""
    return {
        str(pk): version
        for pk, version in IndicatorValue.objects.validated()
        .of_plan_year(plan, year)
        .values_list("pk", "version")
    }


def changes_since(published_versions, plan, year):
    """How many validated values differ from those a report was published with: corrected,
    newly validated, or no longer validated."""
    current = value_versions(plan, year)
    changed = sum(1 for pk, version in current.items() if published_versions.get(pk) != version)
    gone = sum(1 for pk in published_versions if pk not in current)
    return changed + gone
