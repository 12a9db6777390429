"""What the committee reports: indicator values, their breakdowns and the evidence behind
them, and the rules a figure must meet on every path."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from tracker import progress

from . import limits
from .accounts import person_field
from .figure_rules import FIGURE_LIMIT, validate_figure
from .indicators import Indicator
from .periods import ReportingPeriod, chronological_key, chronological_order, refuse_if_closed
from .reference import DimensionValue
from .sources import citation_field
from .value_counts import ValueCountsQuerySet
from .value_reviews import ValueReviewQuerySet
from .waiting import WaitingValuesQuerySet


class IndicatorValueQuerySet(WaitingValuesQuerySet, ValueReviewQuerySet, ValueCountsQuerySet):
    def validated(self):
        return self.filter(status=IndicatorValue.Status.VALIDATED)

    def history_of(self, indicator):
        """Every value of the indicator, oldest period first, with the publication it cites
        (one query); each value's indicator is the one given."""
        values = list(
            self.filter(indicator=indicator)
            .select_related("period", "citation")
            .order_by(*chronological_order("period__"))
        )
        for value in values:
            value.indicator = indicator
        return values

    def latest_validated_by_indicator(self, indicators):
        """The latest validated value of each of `indicators` (a QuerySet, or ids already read)
        as {indicator_id: value}: three queries whatever their number, two given the ids.

        The candidates are read as (indicator, value id, year, quarter) tuples through the
        (indicator, period) unique index; a correlated subquery per indicator was planned as
        a scan of every value by SQLite (1 s at 1.7 million rows)."""
        if isinstance(indicators, models.QuerySet):
            indicators = indicators.order_by().values_list("pk", flat=True)
        indicator_ids = list(indicators)
        latest = {}
        for indicator_id, value_id, year, quarter in (
            self.validated()
            .filter(indicator_id__in=indicator_ids)
            .order_by()
            .values_list("indicator_id", "pk", "period__year", "period__quarter")
        ):
            when = chronological_key(year, quarter)
            if indicator_id not in latest or when > latest[indicator_id][1]:
                latest[indicator_id] = (value_id, when)
        # Unordered, into a dict: the default ordering would join each value to its plan twice.
        values = self.filter(pk__in=[value_id for value_id, _when in latest.values()]).order_by()
        return {value.indicator_id: value for value in values.select_related("period", "citation")}

    def latest_validated(self, plan, limit=10):
        """The plan's `limit` latest validated values, newest first, with their indicator,
        period and validator (three queries whatever the database holds; a scale's levels:
        tracker.figures.read_scale_levels).

        The ids first, from the (period, status, validated_at, id) index alone, then those
        rows with their relations: read in one query, PostgreSQL hashed every indicator and
        period of the database (every plan's) to keep ten rows."""
        newest = ("-validated_at", "-pk")
        ids = list(
            self.validated()
            .of_plan_year(plan)
            .order_by(*newest)
            .values_list("pk", flat=True)[:limit]
        )
        return (
            self.filter(pk__in=ids)
            .select_related("indicator", "period", "validated_by")
            .order_by(*newest)
        )

    def pending_in(self, period):
        """The period's values not validated yet (draft, submitted, returned), with their
        indicator and its responsible institutions (two queries)."""
        return (
            self.filter(period=period)
            .exclude(status=IndicatorValue.Status.VALIDATED)
            .select_related("indicator")
            .prefetch_related("indicator__responsible_institutions")
            .order_by("indicator__code")
        )

    def of_plan_year(self, plan, year=None):
        """Values of the plan's periods (of `year`, if given), by period id so that the
        (period, status) index serves the filter directly."""
        periods = plan.reporting_periods.all()
        if year is not None:
            periods = periods.filter(year=year)
        return self.filter(period_id__in=list(periods.values_list("pk", flat=True)))

    # The REST API and the exchange exports (issue 16).

    def for_api(self, plan):
        """The plan's values, oldest period first then by indicator code, with all the API
        shows of each: indicator, period, publication, who entered, submitted and validated
        it, and its breakdown cells with their categories (two queries a page)."""
        return (
            self.filter(indicator__plan=plan)
            .select_related(
                "indicator", "period", "citation", "entered_by", "submitted_by", "validated_by"
            )
            .prefetch_related(_breakdown_cells())
            .order_by(*chronological_order("period__"), "indicator__code", "pk")
        )

    def for_exchange(self, plan, period_ids):
        """The plan's validated values in the periods `period_ids`, oldest period first then by
        indicator code, with their indicator, period and breakdown cells (two queries): what
        the DHIS2 and ADX exports send."""
        return (
            self.validated()
            .filter(indicator__plan=plan, period_id__in=period_ids)
            .select_related("indicator", "period")
            .prefetch_related(_breakdown_cells())
            .order_by(*chronological_order("period__"), "indicator__code", "pk")
        )


def _breakdown_cells():
    """A value's breakdown cells with their categories and dimensions, in the order the
    dimensions and their categories are listed."""
    return models.Prefetch(
        "breakdown_rows",
        queryset=BreakdownRow.objects.select_related(
            "category__dimension", "cross_category__dimension"
        ).order_by(
            "category__dimension__order",
            "category__order",
            "category__code",
            # A category alone before its crossings, on both engines.
            F("cross_category__order").asc(nulls_first=True),
            F("cross_category__code").asc(nulls_first=True),
        ),
    )


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
            # completeness of a period (its values by status); PostgreSQL also reads it for
            # the submitted values of every plan (the inbox count), small as it is.
            # No index leads with status: most values are validated, and SQLite would then
            # pick it over the (indicator, period) index and scan almost every row.
            models.Index(fields=["period", "status"], name="value_period_status_idx"),
            # The dashboard's latest validated values: their ids in order, from the index
            # alone. Not in place of the one above: wider, it made PostgreSQL scan every value
            # for the inbox count (12 ms to 50 ms at 1.7 million values).
            models.Index(
                fields=["period", "status", "validated_at", "id"],
                name="value_period_status_time_idx",
            ),
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
        ordering = ["indicator_value_id", "category", "cross_category"]
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
