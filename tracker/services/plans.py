"""A plan's reporting periods: generated for its whole span, never typed (DESIGN.md §2)."""

from django.db import transaction

from tracker.models import ReportingPeriod
from tracker.models.periods import QUARTER_MONTHS, quarter_bounds


@transaction.atomic
def generate_periods(*, plan):
    """Create the missing periods of the plan's span, four quarters and the whole year of each
    year (for indicators reported annually), with their history; existing periods are left as
    they are, so that running it again, or after the years change, is safe. It is part of
    creating or extending a plan: the admin, the demo set-up and the synthetic data call it
    after saving the plan, with the rights those paths already require."""
    existing = set(ReportingPeriod.objects.filter(plan=plan).values_list("year", "quarter"))
    missing = []
    for year in plan.years:
        for quarter in (*QUARTER_MONTHS, None):
            if (year, quarter) not in existing:
                start, end = quarter_bounds(year, quarter)
                missing.append(
                    ReportingPeriod(
                        plan=plan,
                        year=year,
                        quarter=quarter,
                        start_date=start,
                        end_date=end,
                        due_on=plan.due_date_after(end),
                    )
                )
    # bulk_create skips save(), so the history rows are written explicitly.
    created = ReportingPeriod.objects.bulk_create(missing)
    ReportingPeriod.history.bulk_history_create(created)
    return created
