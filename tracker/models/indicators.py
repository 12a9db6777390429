"""Indicators, the levels of an ordinal scale, and annual targets."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .framework import (
    FIRST_YEAR,
    LAST_YEAR,
    Opportunity,
    PlanElement,
    Result,
    validate_year_in_plan,
    year_range_check,
)
from .reference import AlignmentTag, Dimension, DimensionValue, Institution
from .sources import citation_field


def _values_model():
    # Reached through the relation, not imported: values.py builds on this module.
    return Indicator.values.field.model


class IndicatorQuerySet(models.QuerySet):
    def for_page(self):
        """With all an indicator's page shows of it: its place in the framework, its
        publications, institutions, tags and targets (four queries for one indicator); a
        scale's levels are read once it is known to be one (tracker.figures.read_scale_levels).
        Not its parent or dimensions, which the page does not show (its breakdown names its
        categories' own dimensions)."""
        return self.select_related(
            "result__axis", "opportunity", "citation", "baseline_citation"
        ).prefetch_related(
            "responsible_institutions",
            "alignment_tags",
            models.Prefetch("annual_targets", queryset=AnnualTarget.objects.order_by("year")),
        )

    def due_by_frequency(self, plan):
        """{"quarterly": n, "annual": m}: how many of the plan's indicators report at each
        frequency (one query)."""
        return self.filter(plan=plan).aggregate(
            quarterly=Count("pk", filter=Q(reporting_frequency="quarterly")),
            annual=Count("pk", filter=Q(reporting_frequency="annual")),
        )

    def due_by_institution(self, institution=None, plans=None):
        """{(institution id, plan id, frequency): n}: how many indicators each institution is
        responsible for, per plan and reporting frequency; only `institution`'s, or only those
        of `plans`, when given (one query)."""
        rows = self.filter(responsible_institutions__isnull=False)
        if institution is not None:
            rows = rows.filter(responsible_institutions=institution)
        if plans is not None:
            rows = rows.filter(plan__in=plans)
        rows = (
            rows.values_list("responsible_institutions", "plan", "reporting_frequency")
            .annotate(count=Count("pk", distinct=True))
            .order_by()
        )
        return {(institution, plan, frequency): n for institution, plan, frequency, n in rows}

    def for_entry(self, period, institution):
        """The institution's indicators on the period's entry page, in the framework's order:
        those due in the period (quarterly ones in a quarter, annual ones in the whole year)
        and any other with a value there, so that it can still be corrected. Each carries
        `record` (the period's value, with its breakdown and evidence), `last_validated`,
        `year_target` and the dimensions of its breakdown, and `shared` (another institution
        reports it too), in a fixed number of queries whatever the number of indicators."""
        values = _values_model().objects
        responsible = self.filter(plan=period.plan_id, responsible_institutions=institution)
        chosen = responsible.filter(
            Q(pk__in=period.indicators_due(responsible).values("pk"))
            | Q(pk__in=values.filter(period=period).values("indicator_id"))
        )
        others = self.model.responsible_institutions.through.objects.filter(
            indicator=models.OuterRef("pk")
        ).exclude(institution=institution)
        indicators = list(
            chosen.annotate(shared=models.Exists(others))
            .select_related("result__axis", "opportunity")
            .prefetch_related(
                "scale_levels",
                models.Prefetch(
                    "dimensions",
                    queryset=Dimension.objects.prefetch_related(
                        models.Prefetch(
                            "values", queryset=DimensionValue.objects.order_by("order", "name")
                        )
                    ),
                ),
                models.Prefetch(
                    "annual_targets",
                    queryset=AnnualTarget.objects.filter(year=period.year),
                    to_attr="year_targets",
                ),
            )
            .order_by("result__axis__number", "result__code", "code")
        )
        # The ids of the indicators read: the values below are read by them rather than by
        # the filter that chose the indicators again.
        ids = [indicator.pk for indicator in indicators]
        records = {
            value.indicator_id: value
            # order_by(): read into a dict; the default ordering would join each value up to
            # its plan twice.
            for value in values.filter(period=period, indicator__in=ids)
            .order_by()
            .select_related("period")
            .prefetch_related("breakdown_rows", "evidence_files")
        }
        latest = values.latest_validated_by_indicator(ids)
        for indicator in indicators:
            indicator.record = records.get(indicator.pk)
            if indicator.record:
                indicator.record.indicator = indicator
            indicator.last_validated = latest.get(indicator.pk)
            indicator.year_target = indicator.year_targets[0] if indicator.year_targets else None
            # The page lists only this institution's indicators; spares a query per save.
            indicator.responsible_ids = {institution.pk}
        return indicators

    def for_api(self, plan):
        """The plan's indicators in the framework's order, with all the API shows of each:
        its place in the framework, publications, institutions, tags, dimensions and their
        categories, scale and targets (eight queries a page)."""
        return (
            self.filter(plan=plan)
            .select_related(
                "result__axis", "opportunity", "parent", "citation", "baseline_citation"
            )
            .prefetch_related(
                models.Prefetch(
                    "responsible_institutions",
                    queryset=Institution.objects.order_by("acronym", "name"),
                ),
                "alignment_tags",
                models.Prefetch(
                    "dimensions",
                    queryset=Dimension.objects.prefetch_related(
                        models.Prefetch(
                            "values",
                            queryset=DimensionValue.objects.order_by("order", "code"),
                        )
                    ),
                ),
                "scale_levels",
                models.Prefetch("annual_targets", queryset=AnnualTarget.objects.order_by("year")),
            )
            .order_by("result__axis__number", "result__code", "code")
        )

    def framework_tree(self, plan):
        """The plan's axes → results → opportunities → indicators (sub-indicators under their
        parent), each indicator carrying its latest validated value, in eight queries whatever
        the size of the plan."""
        values = _values_model().objects
        axes = list(
            plan.axes.prefetch_related(
                models.Prefetch("results", queryset=Result.objects.order_by("code")),
                models.Prefetch(
                    "results__opportunities", queryset=Opportunity.objects.order_by("code")
                ),
            )
        )
        plan_indicators = self.filter(plan=plan)
        indicators = list(plan_indicators.prefetch_related("scale_levels").order_by("code"))
        latest = values.latest_validated_by_indicator(plan_indicators)
        by_id = {indicator.pk: indicator for indicator in indicators}
        under_result, under_opportunity = {}, {}
        for indicator in indicators:
            indicator.latest_value = latest.get(indicator.pk)
            indicator.children = []
        for indicator in indicators:
            if indicator.parent_id in by_id:
                by_id[indicator.parent_id].children.append(indicator)
            elif indicator.opportunity_id:
                under_opportunity.setdefault(indicator.opportunity_id, []).append(indicator)
            else:
                under_result.setdefault(indicator.result_id, []).append(indicator)
        for axis in axes:
            for result in axis.results.all():
                result.tree_indicators = under_result.get(result.pk, [])
                for opportunity in result.opportunities.all():
                    opportunity.tree_indicators = under_opportunity.get(opportunity.pk, [])
        return axes


class Indicator(PlanElement):
    class UnitKind(models.TextChoices):
        COUNT = "count", _("Count")
        PERCENTAGE = "percentage", _("Percentage")
        AMOUNT = "amount", _("Amount (FCFA)")
        MILESTONE = "milestone", _("Yes/no milestone")
        SCALE = "scale", _("Ordinal scale")
        # A country's place in a published index (139th of 153): a whole number from 1, where
        # lower is better; how many were ranked goes in the value's narrative.
        RANK = "rank", _("Rank in an index")

    class Aggregation(models.TextChoices):
        SUM = "sum", _("Sum of the quarters")
        LATEST = "latest", _("Latest value")
        RATIO = "ratio", _("Sum of numerators over sum of denominators")

    class Direction(models.TextChoices):
        INCREASE = "increase", _("Increase is better")
        DECREASE = "decrease", _("Decrease is better")

    class Frequency(models.TextChoices):
        QUARTERLY = "quarterly", _("Quarterly")
        ANNUAL = "annual", _("Annual")

    result = models.ForeignKey(
        Result, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("result")
    )
    opportunity = models.ForeignKey(
        Opportunity,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("opportunity"),
        help_text=_("Leave empty when the indicator measures the result itself."),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sub_indicators",
        verbose_name=_("parent indicator"),
    )
    name = models.TextField(_("name"))
    definition = models.TextField(_("definition"), blank=True)
    unit_kind = models.CharField(_("unit kind"), max_length=20, choices=UnitKind.choices)
    aggregation = models.CharField(
        _("aggregation over quarters"), max_length=10, choices=Aggregation.choices
    )
    # An annual figure is entered as the whole year's value, never hidden in the fourth
    # quarter or split into quarters no source gives (DESIGN.md §2).
    reporting_frequency = models.CharField(
        _("reporting frequency"),
        max_length=10,
        choices=Frequency.choices,
        default=Frequency.QUARTERLY,
        help_text=_(
            "Annual indicators are reported once a year, in the whole-year period; their "
            "quarterly figures, if any, are in-year observations."
        ),
    )
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.INCREASE
    )
    baseline_value = models.DecimalField(
        _("baseline"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    baseline_citation = citation_field(
        _("baseline source"), _("The publication the baseline comes from, as readers see it.")
    )
    baseline_source = models.TextField(
        _("internal note on the baseline"),
        blank=True,
        help_text=_("For the secretariat only: never shown to readers or in reports."),
    )
    target_value = models.DecimalField(
        _("end-of-plan target"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    means_of_verification = models.TextField(_("means of verification"), blank=True)
    data_source = models.TextField(_("data source"), blank=True)
    responsible_institutions = models.ManyToManyField(
        Institution,
        blank=True,
        related_name="indicators",
        verbose_name=_("responsible institutions"),
    )
    dimensions = models.ManyToManyField(
        Dimension,
        blank=True,
        related_name="indicators",
        verbose_name=_("disaggregation dimensions"),
    )
    alignment_tags = models.ManyToManyField(
        AlignmentTag, blank=True, related_name="indicators", verbose_name=_("alignment tags")
    )
    citation = citation_field(
        _("source of the wording"),
        _("The publication the indicator's wording comes from, as readers see it."),
    )
    source_note = models.TextField(
        _("internal note"),
        blank=True,
        help_text=_(
            "For the secretariat only (where the wording comes from, what is left to confirm): "
            "never shown to readers or in reports."
        ),
    )
    history = HistoricalRecords(m2m_fields=[responsible_institutions, dimensions, alignment_tags])

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="indicator_code_unique_in_plan"),
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | ~Q(parent=F("id")),
                name="indicator_not_own_parent",
            ),
            # Percentages are never averaged or summed across quarters (DESIGN.md §3).
            models.CheckConstraint(
                condition=Q(aggregation="latest")
                | Q(aggregation="sum", unit_kind__in=["count", "amount"])
                | Q(aggregation="ratio", unit_kind="percentage"),
                name="indicator_aggregation_fits_unit",
            ),
            models.CheckConstraint(
                condition=Q(reporting_frequency__in=["quarterly", "annual"]),
                name="indicator_frequency_valid",
            ),
            models.CheckConstraint(
                condition=Q(baseline_value__isnull=True) | Q(baseline_year__isnull=False),
                name="indicator_baseline_has_year",
            ),
            models.CheckConstraint(
                condition=Q(baseline_year__isnull=True)
                | Q(baseline_year__gte=FIRST_YEAR, baseline_year__lte=LAST_YEAR),
                name="indicator_baseline_year_range",
            ),
            models.CheckConstraint(
                condition=~Q(unit_kind="percentage")
                | (
                    (Q(baseline_value__isnull=True) | Q(baseline_value__lte=100))
                    & (Q(target_value__isnull=True) | Q(target_value__lte=100))
                ),
                name="indicator_percentage_targets_within_100",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name[:80]}"

    def save(self, *args, **kwargs):
        if self.opportunity_id and not self.result_id:
            self.result_id = self.opportunity.result_id
        super().save(*args, **kwargs)

    def parent_plan_id(self):
        return self.result.plan_id

    @property
    def axis_id(self):
        return self.result.axis_id

    def clean(self):
        errors = {}
        if self.opportunity_id and self.result_id and self.opportunity.result_id != self.result_id:
            errors["opportunity"] = _("The opportunity must belong to the indicator's result.")
        if self.parent_id and self.result_id and self.parent.plan_id != self.result.plan_id:
            errors["parent"] = _("The parent indicator must belong to the same plan.")
        if errors:
            raise ValidationError(errors)


class ScaleLevel(models.Model):
    """A named level of an ordinal-scale indicator (for example 'not taken into account' to
    'fully taken into account')."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="scale_levels")
    value = models.PositiveSmallIntegerField(_("value"))
    name = models.CharField(_("name"), max_length=200)
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator_id", "value"]
        verbose_name = _("scale level")
        verbose_name_plural = _("scale levels")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "value"], name="scale_level_unique"),
        ]

    def __str__(self):
        return f"{self.value}: {self.name}"


class AnnualTarget(models.Model):
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.CASCADE,
        related_name="annual_targets",
        verbose_name=_("indicator"),
    )
    # Kept inside the plan's span by a database trigger (migration 0002).
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("target"), max_digits=20, decimal_places=4)
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator_id", "year"]
        verbose_name = _("annual target")
        verbose_name_plural = _("annual targets")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="annual_target_unique"),
            year_range_check("year", "annual_target_year_range"),
        ]

    def __str__(self):
        return f"{self.indicator.code} {self.year}: {self.value}"

    def clean(self):
        if self.indicator_id and self.year:
            validate_year_in_plan(self.indicator.plan, self.year)
