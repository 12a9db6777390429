"""The results framework: plan → axis → result → opportunity. Administrators edit it in the
Django admin (DESIGN.md §2); the indicators that measure it are in indicators.py."""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .reference import Institution

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


def year_range_check(field, name):
    return models.CheckConstraint(
        condition=Q(**{f"{field}__gte": FIRST_YEAR, f"{field}__lte": LAST_YEAR}),
        name=name,
    )


class PlanQuerySet(models.QuerySet):
    def public_with_published_reports(self):
        """The public plans, each with `published_reports`: its annual reports that have a
        published version, newest year first; what a visitor may open (two queries)."""
        reports = self.model.annual_reports.rel.related_model.objects
        return self.filter(is_public=True).prefetch_related(
            models.Prefetch(
                "annual_reports",
                queryset=reports.filter(versions__isnull=False).distinct().order_by("-year"),
                to_attr="published_reports",
            )
        )


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
    # The committee's calendar (DESIGN.md §2, §4): when reports are due, how late a review
    # meeting may be held, when a submitted figure deserves a second look.
    days_to_report = models.PositiveSmallIntegerField(
        _("days to report"),
        default=30,
        help_text=_(
            "A period's reports are due this many days after it ends. The secretariat may move "
            "the due date of one period."
        ),
    )
    days_to_hold_meeting = models.PositiveSmallIntegerField(
        _("days to hold a review meeting"),
        default=45,
        help_text=_("A meeting reviews a period; it may be held up to this many days after it."),
    )
    outlier_factor = models.DecimalField(
        _("outlier band"),
        max_digits=4,
        decimal_places=1,
        default=3,
        help_text=_(
            "A submitted value is flagged for review when it is more than this many times the "
            "median of the indicator's last four values, or less than that median divided by "
            "it."
        ),
    )
    history = HistoricalRecords()

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["country", "-start_year"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        constraints = [
            year_range_check("start_year", "plan_start_year_range"),
            year_range_check("end_year", "plan_end_year_range"),
            models.CheckConstraint(
                condition=Q(end_year__gte=F("start_year")), name="plan_years_ordered"
            ),
            models.CheckConstraint(
                condition=Q(days_to_report__lte=366, days_to_hold_meeting__lte=366),
                name="plan_calendar_within_a_year",
            ),
            models.CheckConstraint(condition=Q(outlier_factor__gt=1), name="plan_outlier_band"),
        ]

    def __str__(self):
        return f"{self.country} {self.start_year}-{self.end_year}"

    @property
    def years(self):
        return range(self.start_year, self.end_year + 1)

    def clean(self):
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise ValidationError({"end_year": _("The plan cannot end before it starts.")})

    def due_date_after(self, end_date):
        """When the reports of a period ending on `end_date` are due, by the plan's rule."""
        return end_date + datetime.timedelta(days=self.days_to_report)

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
