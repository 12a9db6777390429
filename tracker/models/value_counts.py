"""Counts of reported values by institution and period: what completeness and the reminders
weigh (mixed into IndicatorValue's QuerySet)."""

from django.db import models
from django.db.models import Count, Q

from .indicators import Indicator


class ValueCountsQuerySet(models.QuerySet):
    def at_own_frequency(self):
        """Values in the periods their indicator reports in: quarterly indicators' in the
        quarters, annual ones' in the whole year. An in-year observation of an annual
        indicator is not its report."""
        frequency = Indicator.Frequency
        return self.filter(
            Q(period__quarter__isnull=False, indicator__reporting_frequency=frequency.QUARTERLY)
            | Q(period__quarter__isnull=True, indicator__reporting_frequency=frequency.ANNUAL)
        )

    def status_counts_by_institution(self, plan, periods):
        """{(institution id, period id): {status: indicators with a value in that status}} for
        the plan's values at their own frequency in `periods` (one query)."""

        def indicators_in(status):
            return Count("indicator", filter=Q(status=status), distinct=True)

        rows = (
            self.at_own_frequency()
            .filter(indicator__plan=plan, period__in=periods)
            .values("indicator__responsible_institutions", "period")
            .annotate(**{status: indicators_in(status) for status in self.model.Status.values})
            .order_by()
        )
        return {(row["indicator__responsible_institutions"], row["period"]): row for row in rows}

    def reported_by_institution(self, periods):
        """{(institution id, period id): indicators with a submitted or validated value}, at
        their own frequency, in `periods` of any plan (one query): what an institution has
        reported, as the completeness page counts it."""
        status = self.model.Status
        rows = (
            self.at_own_frequency()
            .filter(period__in=periods, status__in=[status.SUBMITTED, status.VALIDATED])
            .values_list("indicator__responsible_institutions", "period")
            .annotate(reported=Count("indicator", distinct=True))
            .order_by()
        )
        return {(institution, period): n for institution, period, n in rows}

    def reported_by_period(self, plan, periods):
        """{period id: indicators with a submitted or validated value there}, at their own
        frequency, for the plan as a whole (one query)."""
        status = self.model.Status
        return dict(
            self.at_own_frequency()
            .filter(
                indicator__plan=plan,
                period__in=periods,
                status__in=[status.SUBMITTED, status.VALIDATED],
            )
            .values("period")
            .annotate(reported=Count("indicator", distinct=True))
            .values_list("period", "reported")
            .order_by()
        )
