"""The reads behind the inbox (tracker/inbox.py) and its count on the navigation bar: values
that wait for someone, and the counts the inbox weighs against the due dates. Values in closed
periods are left out: nobody can act on them any more. IndicatorValue's QuerySet inherits
them."""

from django.db import models
from django.db.models import Count, Exists, OuterRef, Q

from .periods import ReportingPeriod
from .reports import AnnualReport


class WaitingValuesQuerySet(models.QuerySet):
    def in_open_periods(self):
        return self.filter(period__status=ReportingPeriod.Status.OPEN)

    def unfinished_by(self, institution):
        """The institution's drafts and returned values in open periods, oldest due first,
        with their indicator and their period's plan (one query)."""
        status = self.model.Status
        return (
            self.in_open_periods()
            .filter(
                indicator__responsible_institutions=institution,
                status__in=[status.DRAFT, status.RETURNED],
            )
            .select_related("indicator", "period__plan")
            .order_by("period__due_on", "indicator__code")
        )

    def awaiting_validation_by(self, user):
        """Submitted values in open periods that `user` may review under the four-eyes rule:
        neither entered nor submitted by them."""
        return (
            self.in_open_periods()
            .filter(status=self.model.Status.SUBMITTED)
            .exclude(entered_by=user)
            .exclude(submitted_by=user)
        )

    def count_by_period(self):
        """{period id: values} (one query)."""
        return dict(
            self.values("period")
            .annotate(count=Count("pk"))
            .values_list("period", "count")
            .order_by()
        )

    def status_counts_in(self, periods, institution=None):
        """{(institution id, period id): {status: indicators with a value in that status}},
        at their own frequency, in `periods` of any plans; only `institution`'s rows when
        given (one query)."""

        def indicators_in(status):
            return Count("indicator", filter=Q(status=status), distinct=True)

        rows = self.at_own_frequency().filter(period__in=periods)
        if institution is not None:
            rows = rows.filter(indicator__responsible_institutions=institution)
        rows = (
            rows.values("indicator__responsible_institutions", "period")
            .annotate(**{status: indicators_in(status) for status in self.model.Status.values})
            .order_by()
        )
        return {(row["indicator__responsible_institutions"], row["period"]): row for row in rows}

    def years_to_publish(self, before_year):
        """[(plan id, year)] of the years before `before_year` with validated values and no
        published report, oldest first: annual reports the reporting staff owe (one query).
        Years without a figure (plans kept for their history) owe nothing."""
        published = AnnualReport.objects.filter(
            plan=OuterRef("period__plan"), year=OuterRef("period__year"), versions__isnull=False
        )
        return list(
            self.validated()
            .filter(period__year__lt=before_year)
            .exclude(Exists(published))
            .values_list("period__plan", "period__year")
            .distinct()
            .order_by("period__plan", "period__year")
        )
