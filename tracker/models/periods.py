"""Reporting periods: the four quarters and the whole year of each year of a plan, open or
closed, and how they are named and ordered."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext
from simple_history.models import HistoricalRecords

from .framework import FIRST_YEAR, LAST_YEAR, Plan
from .indicators import Indicator

QUARTER_MONTHS = {1: (1, 3), 2: (4, 6), 3: (7, 9), 4: (10, 12)}
# Reports due within this many days are "due soon" (DESIGN.md §4: the inbox and the reminders).
DUE_SOON_DAYS = 7
# A period's reports may be due at most this long after it ends, as a plan's days to report.
LONGEST_DELAY_DAYS = 366


def quarter_bounds(year, quarter):
    """The first and last day of a quarter, or of the whole year when `quarter` is None."""
    if quarter is None:
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    first_month, last_month = QUARTER_MONTHS[quarter]
    start = datetime.date(year, first_month, 1)
    following = datetime.date(year + (last_month == 12), last_month % 12 + 1, 1)
    return start, following - datetime.timedelta(days=1)


def chronological_order(prefix=""):
    """order_by() terms for periods oldest first, each whole year after its fourth quarter,
    on both engines (SQLite sorts NULL first, PostgreSQL last). `prefix` reaches the period
    through a relation: "period__"."""
    return (f"{prefix}year", F(f"{prefix}quarter").asc(nulls_last=True))


def chronological_key(year, quarter):
    """The same order in Python: a whole year (quarter None) ends with its fourth quarter."""
    return (year, quarter or 5)


def period_label(year, quarter):
    """A period as a reader names it in the active language: "Q1 2021", « T1 2021 », and a
    whole year "Year 2021", « Année 2021 ». URLs keep their own form (2021-Q1, 2021)."""
    if quarter is None:
        # Translators: a reporting period covering a whole year.
        return pgettext("reporting period", "Year %(year)s") % {"year": year}
    # Translators: a reporting period: Q = quarter (French « T » for trimestre), then the year.
    return pgettext("reporting period", "Q%(quarter)s %(year)s") % {
        "quarter": quarter,
        "year": year,
    }


class ReportingPeriodQuerySet(models.QuerySet):
    def chronological(self):
        """Oldest first, each whole year after its fourth quarter."""
        return self.order_by(*chronological_order())

    def quarters(self):
        return self.filter(quarter__isnull=False)

    def with_value_counts(self):
        """Each period with how many of its values are draft, submitted, validated or
        returned, and how many meetings it held (one query)."""

        def values_in(status):
            return Count("values", filter=Q(values__status=status), distinct=True)

        return self.annotate(
            draft_count=values_in("draft"),
            submitted_count=values_in("submitted"),
            validated_count=values_in("validated"),
            returned_count=values_in("returned"),
            meeting_count=Count("meetings", distinct=True),
        )

    def open_by_due_date(self):
        """Every plan's open periods with their plan, soonest due first (one query): what the
        inbox weighs against today."""
        return (
            self.filter(status=ReportingPeriod.Status.OPEN)
            .select_related("plan")
            .order_by("due_on", *chronological_order())
        )

    def to_remind(self, today, days_before):
        """Open periods whose reports are due within `days_before` days of `today`, or late,
        with their plan, by plan and oldest first (one query)."""
        return (
            self.filter(
                status=ReportingPeriod.Status.OPEN,
                due_on__lte=today + datetime.timedelta(days=days_before),
            )
            .select_related("plan")
            .order_by("plan__slug", *chronological_order())
        )

    def with_values_awaiting_validation(self):
        """Periods where submitted values wait for the secretariat, each with how many
        (`awaiting`) and its plan, by plan and oldest first (one query)."""
        return (
            self.annotate(awaiting=Count("values", filter=Q(values__status="submitted")))
            .filter(awaiting__gt=0)
            .select_related("plan")
            .order_by("plan__slug", *chronological_order())
        )


class ReportingPeriod(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    class DueStatus(models.TextChoices):
        """Where a period's reports stand against their due date (see due_status)."""

        LATE = "late", _("Late")
        DUE_SOON = "due_soon", _("Due soon")
        ON_TIME = "on_time", _("On time")
        CLOSED = "closed", _("Closed")

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="reporting_periods", verbose_name=_("plan")
    )
    # Kept inside the plan's span by a database trigger (migration 0002).
    year = models.PositiveSmallIntegerField(_("year"))
    # None: the whole year, where indicators reported annually get their figure (DESIGN.md §2).
    quarter = models.PositiveSmallIntegerField(_("quarter"), null=True, blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # Set when the period is generated (the plan's days to report after its end); the
    # secretariat may move it.
    due_on = models.DateField(_("due date"))
    history = HistoricalRecords()

    objects = ReportingPeriodQuerySet.as_manager()

    class Meta:
        ordering = ["plan", *chronological_order()]
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        permissions = [("follow_completeness", _("Can follow who has reported"))]
        constraints = [
            models.UniqueConstraint(fields=["plan", "year", "quarter"], name="period_unique"),
            # NULLs never collide in a unique constraint: one whole-year period per year.
            models.UniqueConstraint(
                fields=["plan", "year"],
                condition=Q(quarter__isnull=True),
                name="period_one_whole_year",
            ),
            models.CheckConstraint(
                condition=Q(quarter__isnull=True) | Q(quarter__gte=1, quarter__lte=4),
                name="period_quarter_1_to_4",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_YEAR, year__lte=LAST_YEAR), name="period_year_range"
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="period_dates_ordered"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "closed"]), name="period_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status="open") | Q(closed_at__isnull=False),
                name="period_closed_has_date",
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=F("end_date")), name="period_due_after_its_end"
            ),
        ]

    def __str__(self):
        return self.label

    def save(self, *args, **kwargs):
        if self.due_on is None and self.end_date:
            end = self._meta.get_field("end_date").to_python(self.end_date)
            self.due_on = self.plan.due_date_after(end)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        """The entry page of the period."""
        return self._url("period-entry")

    @property
    def label(self):
        """The period as a reader names it in the active language: "Q1 2021", « T1 2021 »."""
        return period_label(self.year, self.quarter)

    @property
    def is_whole_year(self):
        return self.quarter is None

    @property
    def key(self):
        """As URLs and exports name it: 2021-Q1, or 2021 for the whole year."""
        return str(self.year) if self.is_whole_year else f"{self.year}-Q{self.quarter}"

    def _url(self, name):
        kwargs = {"slug": self.plan.slug, "year": self.year}
        if self.is_whole_year:
            name = name.replace("period-", "year-")
        else:
            kwargs["quarter"] = self.quarter
        return reverse(name, kwargs=kwargs)

    def due_status(self, today=None):
        """Closed once the period is; else late from the day after the due date, due soon from
        DUE_SOON_DAYS before it up to the due day itself, on time before that. Templates call
        it without `today`: the local date."""
        if not self.is_open:
            return self.DueStatus.CLOSED
        today = today or timezone.localdate()
        if today > self.due_on:
            return self.DueStatus.LATE
        if (self.due_on - today).days <= DUE_SOON_DAYS:
            return self.DueStatus.DUE_SOON
        return self.DueStatus.ON_TIME

    def due_by_rule(self, days_to_report):
        """Whether the due date is the one a plan giving `days_to_report` days would set,
        that is, nobody moved it by hand."""
        return self.due_on == self.end_date + datetime.timedelta(days=days_to_report)

    @property
    def due_date_url(self):
        return self._url("period-due-date")

    @property
    def close_url(self):
        return self._url("period-close")

    @property
    def reopen_url(self):
        return self._url("period-reopen")

    @property
    def frequency(self):
        """The Indicator.Frequency reported in this period: annual in the whole year, quarterly
        in the quarters."""
        frequency = Indicator.Frequency
        return frequency.ANNUAL if self.is_whole_year else frequency.QUARTERLY

    def indicators_due(self, indicators):
        """The `indicators` reported in this period."""
        return indicators.filter(reporting_frequency=self.frequency)

    @property
    def is_open(self):
        return self.status == self.Status.OPEN


class PeriodClosedError(ValidationError):
    """A write aimed at a closed period. Raised by every reporting model's save(), so no path
    (form, admin, script) can change a closed quarter."""

    def __init__(self, period):
        super().__init__(
            _("Period %(period)s is closed; ask the secretariat to reopen it.")
            % {"period": period.label},
            code="period_closed",
        )


def refuse_if_closed(period):
    # Read the status from the database: the instance in hand may be stale.
    status = ReportingPeriod.objects.filter(pk=period.pk).values_list("status", flat=True).first()
    if status == ReportingPeriod.Status.CLOSED:
        raise PeriodClosedError(period)
