"""What the committee reports each quarter: indicator values and their breakdowns."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import DecimalValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy
from simple_history.models import HistoricalRecords

from tracker import progress
from tracker.formatting import format_number

from . import limits
from .framework import FIRST_YEAR, LAST_YEAR, DimensionValue, Indicator, Plan
from .sources import citation_field

QUARTER_MONTHS = {1: (1, 3), 2: (4, 6), 3: (7, 9), 4: (10, 12)}


def person_field(verbose_name):
    """Who did something to a record: kept even if the account is later deactivated."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=verbose_name,
    )


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


class ReportingPeriod(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
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
        ]

    def __str__(self):
        return self.label

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


# What a figure column holds (DecimalField(max_digits=20, decimal_places=4)); SQLite would
# store more without a word, and the pages could not show it.
FIGURE_DIGITS = DecimalValidator(max_digits=20, decimal_places=4)
FIGURE_LIMIT = Decimal(10) ** 16


def _digit_errors(figures):
    errors = {}
    for name, number in figures.items():
        if number is None:
            continue
        try:
            FIGURE_DIGITS(number)
        except ValidationError as error:
            errors[name] = error.messages[0]
    return errors


def validate_figure(indicator, value, numerator, denominator):
    """{field: message} for a figure that does not fit the indicator's unit kind."""
    kind = Indicator.UnitKind
    errors = _digit_errors({"value": value, "numerator": numerator, "denominator": denominator})
    if errors:
        return errors
    if (numerator is None) != (denominator is None):
        errors["denominator"] = _("Give both the numerator and the denominator.")
    elif denominator is not None:
        if indicator.unit_kind != kind.PERCENTAGE:
            errors["numerator"] = _("Only percentages have a numerator and a denominator.")
        elif denominator <= 0:
            errors["denominator"] = _("The denominator must be above zero.")
        elif numerator > denominator:
            errors["numerator"] = _("The numerator cannot exceed the denominator.")
        return errors
    if value is None:
        return errors
    if value < 0:
        errors["value"] = _("A value cannot be negative.")
    elif indicator.unit_kind == kind.PERCENTAGE and value > 100:
        errors["value"] = _("A percentage cannot exceed 100.")
    elif indicator.unit_kind in (kind.COUNT, kind.AMOUNT) and value != value.to_integral_value():
        errors["value"] = _("Counts and FCFA amounts are whole numbers.")
    elif indicator.unit_kind == kind.RANK and (value < 1 or value != value.to_integral_value()):
        errors["value"] = _("A rank is a whole number from 1 (first).")
    elif indicator.unit_kind == kind.MILESTONE and value not in (0, 1):
        errors["value"] = _("A milestone is 1 (reached) or 0 (not reached).")
    elif (
        indicator.unit_kind == kind.SCALE
        and not indicator.scale_levels.filter(value=value).exists()
    ):
        errors["value"] = _("Choose one of the indicator's scale levels.")
    return errors


def validate_breakdown(indicator, total, cells):
    """[message] for breakdown cells ({(category id, crossed category id or None): amount})
    that do not fit the indicator: categories of its own dimensions, whole non-negative
    amounts that add up to the total (DESIGN.md §3). Uses the indicator's prefetched
    dimensions and values where the page has them."""
    if not cells:
        return []
    if indicator.unit_kind not in (Indicator.UnitKind.COUNT, Indicator.UnitKind.AMOUNT):
        return [_("Only counts and FCFA amounts are broken down.")]
    allowed = {
        category.pk
        for dimension in indicator.dimensions.all()
        for category in dimension.values.all()
    }
    messages = []
    if any(
        category not in allowed or (crossed is not None and crossed not in allowed)
        for category, crossed in cells
    ):
        messages.append(_("The breakdown names a category this indicator is not broken down by."))
    amounts = [amount for amount in cells.values() if amount is not None]
    digit_errors = _digit_errors(dict(enumerate(amounts)))
    if digit_errors:
        return messages + list(digit_errors.values())[:1]
    if any(amount < 0 or amount != amount.to_integral_value() for amount in amounts):
        messages.append(_("Breakdown cells are whole numbers, zero or more."))
    cells_sum = sum(amounts, Decimal(0))
    if total is not None and cells_sum != total:
        difference = cells_sum - total
        messages.append(
            _(
                "The breakdown adds up to %(sum)s but the total is %(total)s (%(diff)s). "
                "Correct the cells or the total."
            )
            % {
                "sum": format_number(cells_sum),
                "total": format_number(total),
                "diff": ("+" if difference > 0 else "") + format_number(difference),
            }
        )
    return messages


class IndicatorValueQuerySet(models.QuerySet):
    def validated(self):
        return self.filter(status=IndicatorValue.Status.VALIDATED)

    def latest_validated_by_indicator(self, indicators):
        """The latest validated value of each indicator of the `indicators` QuerySet, as
        {indicator_id: value}, in three queries whatever the number of indicators.

        The candidates are read as (indicator, value id, year, quarter) tuples through the
        (indicator, period) unique index; a correlated subquery per indicator was planned as
        a scan of every value by SQLite (1 s at 1.7 million rows)."""
        indicator_ids = list(indicators.order_by().values_list("pk", flat=True))
        latest = {}
        for indicator_id, value_id, year, quarter in (
            self.validated()
            .filter(indicator_id__in=indicator_ids)
            .values_list("indicator_id", "pk", "period__year", "period__quarter")
        ):
            when = chronological_key(year, quarter)
            if indicator_id not in latest or when > latest[indicator_id][1]:
                latest[indicator_id] = (value_id, when)
        values = self.filter(pk__in=[value_id for value_id, _when in latest.values()])
        return {value.indicator_id: value for value in values.select_related("period", "citation")}

    def of_plan_year(self, plan, year=None):
        """Values of the plan's periods (of `year`, if given), by period id so that the
        (period, status) index serves the filter directly."""
        periods = plan.reporting_periods.all()
        if year is not None:
            periods = periods.filter(year=year)
        return self.filter(period_id__in=list(periods.values_list("pk", flat=True)))


class IndicatorValue(models.Model):
    class Status(models.TextChoices):
        # A value's status: feminine in French (« une valeur soumise, validée, renvoyée »).
        DRAFT = "draft", pgettext_lazy("value status", "Draft")
        SUBMITTED = "submitted", pgettext_lazy("value status", "Submitted")
        VALIDATED = "validated", pgettext_lazy("value status", "Validated")
        RETURNED = "returned", pgettext_lazy("value status", "Returned")

    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="values", verbose_name=_("indicator")
    )
    # Must belong to the indicator's plan: enforced by a database trigger (migration 0002).
    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.PROTECT, related_name="values", verbose_name=_("period")
    )
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=4, null=True, blank=True)
    numerator = models.DecimalField(
        _("numerator"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    denominator = models.DecimalField(
        _("denominator"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    # "Over 874" is a bound, kept as one: shown « ≥ 874 », and sums and statuses treat it so.
    qualifier = models.CharField(
        _("qualifier"),
        max_length=10,
        choices=progress.Qualifier.choices,
        default=progress.Qualifier.EXACT,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    return_reason = models.TextField(_("reason for return"), blank=True, max_length=limits.REASON)
    narrative = models.TextField(_("narrative"), blank=True, max_length=limits.NARRATIVE)
    # What readers see as the source: a catalogued publication, or else the text the member
    # typed on the entry page.
    citation = citation_field(_("publication"), related_name="values")
    source = models.TextField(
        _("source"),
        blank=True,
        max_length=limits.SOURCE,
        help_text=_("Where the figure comes from, when it is not a catalogued publication."),
    )
    note = models.TextField(
        _("internal note"),
        blank=True,
        max_length=limits.NOTE,
        help_text=_(
            "For the secretariat and the members who report: never shown to readers, in "
            "exports or in reports."
        ),
    )
    entered_by = person_field(_("entered by"))
    submitted_by = person_field(_("submitted by"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    validated_by = person_field(_("validated by"))
    validated_at = models.DateTimeField(_("validated at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Optimistic locking: a form built from an older version may not overwrite a newer one.
    version = models.PositiveIntegerField(_("version"), default=1)
    history = HistoricalRecords()

    objects = IndicatorValueQuerySet.as_manager()

    class Meta:
        ordering = ["indicator", "period"]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        permissions = [
            ("validate_indicatorvalue", _("Can validate or return submitted values")),
            ("enter_for_any_institution", _("Can enter values for every institution")),
        ]
        indexes = [
            # The validation queue (status = submitted in the plan's periods) and the
            # completeness of a period (its values by status).
            # No index leads with status: most values are validated, and SQLite would then
            # pick it over the (indicator, period) index and scan almost every row.
            models.Index(fields=["period", "status"], name="value_period_status_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period"], name="indicator_value_unique_per_period"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "submitted", "validated", "returned"]),
                name="indicator_value_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=0),
                name="indicator_value_not_negative",
            ),
            # NULL makes a CHECK pass, so both-or-neither is spelt out.
            models.CheckConstraint(
                condition=Q(numerator__isnull=True, denominator__isnull=True)
                | Q(numerator__gte=0, denominator__gt=0, numerator__lte=F("denominator"))
                & Q(numerator__isnull=False, denominator__isnull=False),
                name="indicator_value_ratio_sound",
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(return_reason=""),
                name="indicator_value_return_has_reason",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="indicator_value_version"),
            models.CheckConstraint(
                condition=Q(qualifier__in=progress.Qualifier.values),
                name="indicator_value_qualifier_valid",
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__lt=FIGURE_LIMIT),
                name="indicator_value_fits",
            ),
            models.CheckConstraint(
                condition=Q(denominator__isnull=True) | Q(denominator__lt=FIGURE_LIMIT),
                name="indicator_value_ratio_fits",
            ),
            *limits.length_constraints(
                "indicator_value",
                {
                    "return_reason": limits.REASON,
                    "narrative": limits.NARRATIVE,
                    "source": limits.SOURCE,
                    "note": limits.NOTE,
                },
            ),
        ]

    def __str__(self):
        return f"{self.indicator.code} {self.period.label}: {self.display_value}"

    def save(self, *args, **kwargs):
        refuse_if_closed(self.period)
        # A percentage is always derived from its numerator and denominator, never typed.
        if self.numerator is not None and self.denominator:
            self.value = self.percentage
        super().save(*args, **kwargs)

    @property
    def percentage(self):
        """100 × numerator ÷ denominator to 4 places, half up (progress.percentage, the one
        rounding rule); None without both."""
        return progress.percentage(self.numerator, self.denominator)

    def clean(self):
        """The figure must fit the indicator's unit; the same rules as the entry form, for
        paths such as the admin."""
        if self.period_id:
            refuse_if_closed(self.period)
        if not self.indicator_id:
            return
        errors = validate_figure(self.indicator, self.value, self.numerator, self.denominator)
        if errors:
            raise ValidationError(errors)

    def check_texts(self):
        limits.check_lengths(
            IndicatorValue,
            {
                name: getattr(self, name)
                for name in ("narrative", "source", "note", "return_reason")
            },
        )

    @property
    def citation_text(self):
        """The source as readers see it: the publication's citation, or the text typed."""
        return self.citation.citation if self.citation_id else self.source

    @property
    def display_value(self):
        if self.percentage is not None:
            shown = progress.rounded(self.percentage, progress.PERCENT_PLACES)
            return f"{shown} % ({self.numerator:g}/{self.denominator:g})"
        return "—" if self.value is None else f"{self.value.normalize():f}"


class BreakdownRow(models.Model):
    """One cell of a value's disaggregation: a category (women; Mopti) or the crossing of two
    (women × Mopti)."""

    indicator_value = models.ForeignKey(
        IndicatorValue,
        on_delete=models.CASCADE,
        related_name="breakdown_rows",
        verbose_name=_("indicator value"),
    )
    category = models.ForeignKey(
        DimensionValue, on_delete=models.PROTECT, related_name="+", verbose_name=_("category")
    )
    cross_category = models.ForeignKey(
        DimensionValue,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("crossed with"),
    )
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=4)
    numerator = models.DecimalField(
        _("numerator"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    denominator = models.DecimalField(
        _("denominator"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator_value", "category", "cross_category"]
        verbose_name = _("breakdown row")
        verbose_name_plural = _("breakdown rows")
        constraints = [
            # Two constraints because NULLs never collide in a plain unique index.
            models.UniqueConstraint(
                fields=["indicator_value", "category"],
                condition=Q(cross_category__isnull=True),
                name="breakdown_cell_unique_single",
            ),
            models.UniqueConstraint(
                fields=["indicator_value", "category", "cross_category"],
                name="breakdown_cell_unique_crossed",
            ),
            models.CheckConstraint(
                condition=Q(cross_category__isnull=True) | ~Q(cross_category=F("category")),
                name="breakdown_cell_distinct_categories",
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="breakdown_not_negative"),
            models.CheckConstraint(condition=Q(value__lt=FIGURE_LIMIT), name="breakdown_fits"),
            models.CheckConstraint(
                condition=Q(numerator__isnull=True, denominator__isnull=True)
                | Q(numerator__gte=0, denominator__gt=0, numerator__lte=F("denominator"))
                & Q(numerator__isnull=False, denominator__isnull=False),
                name="breakdown_ratio_sound",
            ),
        ]

    def __str__(self):
        cell = self.category.name
        if self.cross_category_id:
            cell = f"{cell} × {self.cross_category.name}"
        return f"{cell}: {self.value}"

    def save(self, *args, **kwargs):
        refuse_if_closed(self.indicator_value.period)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        refuse_if_closed(self.indicator_value.period)
        return super().delete(*args, **kwargs)


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


class ActivityProgress(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        ONGOING = "ongoing", _("Ongoing")
        COMPLETED = "completed", _("Completed")
        DELAYED = "delayed", _("Delayed")
        CANCELLED = "cancelled", _("Cancelled")

    activity = models.ForeignKey(
        "tracker.Activity",
        on_delete=models.PROTECT,
        related_name="progress_reports",
        verbose_name=_("activity"),
    )
    # Must belong to the activity's plan: enforced by a database trigger (migration 0005).
    period = models.ForeignKey(
        ReportingPeriod,
        on_delete=models.PROTECT,
        related_name="activity_progress",
        verbose_name=_("period"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    percent_complete = models.PositiveSmallIntegerField(_("percent complete"), default=0)
    amount_spent = models.PositiveBigIntegerField(_("amount spent (FCFA)"), null=True, blank=True)
    narrative = models.TextField(_("narrative"), blank=True, max_length=limits.NARRATIVE)
    entered_by = person_field(_("entered by"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["activity", "period"]
        verbose_name = _("activity progress")
        verbose_name_plural = _("activity progress reports")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "period"], name="activity_progress_unique_per_period"
            ),
            models.CheckConstraint(
                condition=Q(percent_complete__lte=100), name="activity_progress_percent_max_100"
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=["not_started", "ongoing", "completed", "delayed", "cancelled"]
                ),
                name="activity_progress_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="completed") | Q(percent_complete=100),
                name="activity_progress_completed_is_100",
            ),
            *limits.length_constraints("activity_progress", {"narrative": limits.NARRATIVE}),
        ]

    def __str__(self):
        return f"{self.activity.code} {self.period.label}: {self.get_status_display()}"

    def save(self, *args, **kwargs):
        refuse_if_closed(self.period)
        super().save(*args, **kwargs)

    def clean(self):
        # The admin's form then says so, instead of failing in save().
        if self.period_id:
            refuse_if_closed(self.period)


class EvidenceFile(models.Model):
    """A document that backs a reported value: a report, a list of participants, a photo."""

    indicator_value = models.ForeignKey(
        IndicatorValue,
        on_delete=models.PROTECT,
        related_name="evidence_files",
        verbose_name=_("indicator value"),
    )
    file = models.FileField(_("file"), upload_to="evidence/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    uploaded_by = person_field(_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator_value", "uploaded_at"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self):
        return self.original_name

    def save(self, *args, **kwargs):
        refuse_if_closed(self.indicator_value.period)
        super().save(*args, **kwargs)
