"""The results framework: plan → axis → result → opportunity, and the indicators that measure
them. Administrators edit all of this in the Django admin (DESIGN.md §2)."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .sources import citation_field

# Years a plan may span. Checked in the database so that a slip of the keyboard ("20219")
# cannot produce periods nobody can report on.
FIRST_YEAR = 1990
LAST_YEAR = 2100


def validate_year_in_plan(plan, year, field="year"):
    # The database refuses the same rows (triggers in migration 0002); this gives the form a
    # readable message first.
    if not plan.start_year <= year <= plan.end_year:
        raise ValidationError(
            {
                field: _("The year must fall within the plan (%(start)s-%(end)s).")
                % {"start": plan.start_year, "end": plan.end_year}
            }
        )


def _year_range_check(field, name):
    return models.CheckConstraint(
        condition=Q(**{f"{field}__gte": FIRST_YEAR, f"{field}__lte": LAST_YEAR}),
        name=name,
    )


class Institution(models.Model):
    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("Ministry")
        PARLIAMENT = "parliament", _("Parliament")
        PUBLIC_BODY = "public_body", _("Public body or programme")
        COORDINATION = "coordination", _("Plan coordination body")
        CSO = "cso", _("Civil-society organisation")
        UN_AGENCY = "un_agency", _("UN agency or mission")
        PARTNER = "partner", _("Technical and financial partner")
        PEACE_MECHANISM = "peace_mechanism", _("Peace-agreement mechanism")

    name = models.CharField(_("name"), max_length=255, unique=True)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    source_note = models.TextField(_("source note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        constraints = [
            models.UniqueConstraint(
                fields=["acronym"],
                condition=~Q(acronym=""),
                name="institution_acronym_unique",
            ),
        ]

    def __str__(self):
        return f"{self.acronym} – {self.name}" if self.acronym else self.name

    @property
    def short_name(self):
        return self.acronym or self.name


class Region(models.Model):
    """An administrative region. Mali's map has changed before, so regions carry validity
    dates and are data, never code."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=120)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(valid_to__gte=F("valid_from")),
                name="region_validity_ordered",
            ),
        ]

    def __str__(self):
        return self.name


class Dimension(models.Model):
    """A disaggregation axis such as sex, age group or region."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")

    def __str__(self):
        return self.name


class DimensionValue(models.Model):
    dimension = models.ForeignKey(
        Dimension, on_delete=models.PROTECT, related_name="values", verbose_name=_("dimension")
    )
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dimension_values",
        verbose_name=_("region"),
        help_text=_("For values of the region dimension: the region they stand for."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["dimension__order", "order", "code"]
        verbose_name = _("dimension value")
        verbose_name_plural = _("dimension values")
        constraints = [
            models.UniqueConstraint(
                fields=["dimension", "code"], name="dimension_value_code_unique"
            ),
        ]

    def __str__(self):
        return f"{self.dimension}: {self.name}"


class AlignmentTag(models.Model):
    """A global indicator a plan indicator maps to: an SDG indicator or one of the UN
    Secretary-General's global indicators for resolution 1325 (S/2010/498)."""

    class Framework(models.TextChoices):
        SDG = "sdg", _("Sustainable Development Goals")
        UNSCR1325 = "unscr1325", _("UNSCR 1325 global indicators")

    framework = models.CharField(_("framework"), max_length=20, choices=Framework.choices)
    code = models.CharField(_("code"), max_length=20)
    # The official names of SDG indicators run past 255 characters in French.
    name = models.CharField(_("name"), max_length=500)
    history = HistoricalRecords()

    class Meta:
        ordering = ["framework", "code"]
        verbose_name = _("alignment tag")
        verbose_name_plural = _("alignment tags")
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="alignment_tag_unique"),
        ]

    def __str__(self):
        prefix = "SDG" if self.framework == self.Framework.SDG else "UNSCR 1325"
        return f"{prefix} {self.code}"


class Plan(models.Model):
    country = models.CharField(_("country"), max_length=100)
    title = models.CharField(_("title"), max_length=500)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    start_year = models.PositiveSmallIntegerField(_("start year"))
    end_year = models.PositiveSmallIntegerField(_("end year"))
    # Two dates, as the sources give them: the plan was adopted in 2019 (no day is known) and
    # signed by the Prime Minister on 12 November 2020.
    adopted_in = models.PositiveSmallIntegerField(_("adopted in (year)"), null=True, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    lead_institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_plans",
        verbose_name=_("lead institution"),
    )
    aim = models.TextField(_("overall aim"), blank=True)
    is_public = models.BooleanField(
        _("public"),
        default=False,
        help_text=_("Anonymous visitors may see validated figures and published reports."),
    )
    source_note = models.TextField(_("internal note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["country", "-start_year"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        constraints = [
            _year_range_check("start_year", "plan_start_year_range"),
            _year_range_check("end_year", "plan_end_year_range"),
            models.CheckConstraint(
                condition=Q(end_year__gte=F("start_year")), name="plan_years_ordered"
            ),
        ]

    def __str__(self):
        return f"{self.country} {self.start_year}-{self.end_year}"

    @property
    def years(self):
        return range(self.start_year, self.end_year + 1)

    def clean(self):
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise ValidationError({"end_year": _("The plan cannot end before it starts.")})

    def elapsed_quarters(self, year, today=None):
        """How many quarters of `year` are over: what the pro-rata targets expect by now."""
        today = today or timezone.localdate()
        if year < today.year:
            return 4
        if year > today.year:
            return 0
        return (today.month - 1) // 3

    def current_year(self, today=None):
        """The year dashboards open on: this year while the plan runs, else its last year."""
        today = today or timezone.localdate()
        return min(max(today.year, self.start_year), self.end_year)

    def framework_tree(self):
        """Axes → results → opportunities → indicators (sub-indicators under their parent),
        each indicator carrying its latest validated value, in a fixed number of queries."""
        from .reporting import IndicatorValue

        axes = list(
            self.axes.prefetch_related(
                models.Prefetch("results", queryset=Result.objects.order_by("code")),
                models.Prefetch(
                    "results__opportunities", queryset=Opportunity.objects.order_by("code")
                ),
            )
        )
        plan_indicators = Indicator.objects.filter(plan=self)
        indicators = list(plan_indicators.prefetch_related("scale_levels").order_by("code"))
        latest = IndicatorValue.objects.latest_validated_by_indicator(plan_indicators)
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


class Axis(models.Model):
    """A priority axis (strategic objective) of a plan."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="axes", verbose_name=_("plan")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=200)
    objective = models.TextField(_("objective"), blank=True)
    source_note = models.TextField(_("source note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = _("axis")
        verbose_name_plural = _("axes")
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="axis_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="axis_number_positive"),
        ]

    def __str__(self):
        return f"{self.number}. {self.name}"


code_validator = RegexValidator(
    r"^[0-9A-Za-z]+([.-][0-9A-Za-z]+)*$",
    _("Use letters and digits separated by dots or dashes, such as 2.1, 2.3.1 or 2.1-a."),
)


class PlanElement(models.Model):
    """Results, opportunities, indicators and activities carry their plan so that the database
    itself keeps their codes unique within the plan; the plan is always copied from the
    parent on save, never chosen."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="+", editable=False, verbose_name=_("plan")
    )
    code = models.CharField(_("code"), max_length=20, validators=[code_validator])

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.plan_id = self.parent_plan_id()
        super().save(*args, **kwargs)

    def parent_plan_id(self):
        raise NotImplementedError


class Result(PlanElement):
    axis = models.ForeignKey(
        Axis, on_delete=models.CASCADE, related_name="results", verbose_name=_("axis")
    )
    statement = models.TextField(_("statement"))
    source_note = models.TextField(_("source note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "code"]
        verbose_name = _("result")
        verbose_name_plural = _("results")
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="result_code_unique_in_plan"),
        ]

    def __str__(self):
        return f"{self.code} {self.statement[:80]}"

    def parent_plan_id(self):
        return self.axis.plan_id


class Opportunity(PlanElement):
    """The plan's word for a sub-result."""

    result = models.ForeignKey(
        Result, on_delete=models.CASCADE, related_name="opportunities", verbose_name=_("result")
    )
    statement = models.TextField(_("statement"))
    source_note = models.TextField(_("source note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "code"]
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "code"], name="opportunity_code_unique_in_plan"
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.statement[:80]}"

    def parent_plan_id(self):
        return self.result.plan_id


class IndicatorQuerySet(models.QuerySet):
    def for_framework_tree(self):
        return self.select_related("result", "opportunity", "parent").order_by("code")


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
        ordering = ["indicator", "value"]
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
        ordering = ["indicator", "year"]
        verbose_name = _("annual target")
        verbose_name_plural = _("annual targets")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="annual_target_unique"),
            _year_range_check("year", "annual_target_year_range"),
        ]

    def __str__(self):
        return f"{self.indicator.code} {self.year}: {self.value}"

    def clean(self):
        if self.indicator_id and self.year:
            validate_year_in_plan(self.indicator.plan, self.year)
