"""A synthetic plan's operational side: activities with partners, budget lines by year and
funding source, quarterly progress reports, and a committee meeting each quarter with its
attendance."""

import datetime

from tracker.models import (
    Activity,
    ActivityProgress,
    BudgetLine,
    CommitteeMeeting,
    MeetingAttendance,
)

from .common import BATCH, in_parent_plan

ACTIVITIES_PER_OPPORTUNITY = 2


def create_operations(ctx, opportunities):
    """The activities of the opportunities, their budget and progress, and the meetings."""
    activities = _activities(ctx, opportunities)
    _budget_and_progress(ctx, activities)
    _meetings(ctx)


def _activities(ctx, opportunities):
    rng = ctx.rng
    institutions = ctx.shared.institutions
    activities, partners = [], []
    first, last = ctx.years[0], ctx.years[-1]
    for opportunity in opportunities:
        for index in range(1, ACTIVITIES_PER_OPPORTUNITY + 1):
            start = rng.randint(first, last)
            end = min(last, start + rng.randint(0, 3))
            code = f"A{opportunity.code}-{index}"
            activities.append(
                Activity(
                    opportunity=opportunity,
                    code=code,
                    title_fr=f"Activité synthétique {code}",
                    title_en=f"Synthetic activity {code}",
                    lead_institution=rng.choice(institutions),
                    start_year=start,
                    end_year=end,
                    source_note=ctx.note,
                )
            )
    Activity.objects.bulk_create(in_parent_plan(activities), batch_size=BATCH)
    through = Activity.partners.through
    for activity in activities:
        for institution in rng.sample(institutions, rng.randint(0, 2)):
            if institution.pk != activity.lead_institution_id:
                partners.append(through(activity_id=activity.pk, institution_id=institution.pk))
    through.objects.bulk_create(partners, batch_size=BATCH)
    return activities


def _budget_and_progress(ctx, activities):
    rng = ctx.rng
    lines, reports = [], []
    for activity in activities:
        years = range(activity.start_year, activity.end_year + 1)
        sources = rng.sample(ctx.shared.funding_sources, rng.randint(1, 2))
        planned = {}
        for year in years:
            for source in sources:
                amount = rng.randint(2, 50) * 1_000_000
                planned[year] = planned.get(year, 0) + amount
                lines.append(
                    BudgetLine(
                        activity=activity,
                        year=year,
                        funding_source=source,
                        planned_amount=amount,
                    )
                )
        periods = [period for period in ctx.periods if period.year in years]
        cancelled_from = len(periods) // 2 if rng.random() < 0.04 else None
        pace = rng.uniform(0.5, 1.2)
        percent = 0
        for position, period in enumerate(periods):
            if cancelled_from is not None and position >= cancelled_from:
                status = ActivityProgress.Status.CANCELLED
            else:
                percent = min(100, round(100 * (position + 1) / len(periods) * pace))
                if percent == 100:
                    status = ActivityProgress.Status.COMPLETED
                elif percent == 0:
                    status = ActivityProgress.Status.NOT_STARTED
                elif pace < 0.7:
                    status = ActivityProgress.Status.DELAYED
                else:
                    status = ActivityProgress.Status.ONGOING
            spent = round(planned[period.year] / 4 * rng.uniform(0.3, 1.1))
            reports.append(
                ActivityProgress(
                    activity=activity,
                    period=period,
                    status=status,
                    percent_complete=percent,
                    amount_spent=spent if percent else 0,
                    narrative=f"Synthetic progress report for {period.label}.",
                    entered_by=ctx.shared.entry_user,
                )
            )
    BudgetLine.objects.bulk_create(lines, batch_size=BATCH)
    ActivityProgress.objects.bulk_create(reports, batch_size=BATCH)


def _meetings(ctx):
    rng = ctx.rng
    meetings = []
    for period in ctx.periods:
        days = (period.end_date - period.start_date).days
        meetings.append(
            CommitteeMeeting(
                period=period,
                date=period.start_date + datetime.timedelta(days=rng.randint(20, days)),
                place="Synthetic venue",
                decisions=f"Synthetic decisions. {ctx.note}",
            )
        )
    CommitteeMeeting.objects.bulk_create(meetings)
    attendance = [
        MeetingAttendance(
            meeting=meeting,
            institution=institution,
            women_present=rng.randint(1, 4),
            men_present=rng.randint(0, 3),
        )
        for meeting in meetings
        for institution in rng.sample(ctx.shared.institutions, 6)
    ]
    MeetingAttendance.objects.bulk_create(attendance, batch_size=BATCH)
