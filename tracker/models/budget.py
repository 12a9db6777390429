"""The operational plan: activities, what they are budgeted in FCFA (XOF, no decimals), and
the progress reported on them each quarter."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from . import limits
from .accounts import person_field
from .framework import FIRST_YEAR, LAST_YEAR, Opportunity, PlanElement, validate_year_in_plan
from .periods import ReportingPeriod, refuse_if_closed
from .reference import Institution


class ActivityQuerySet(models.QuerySet):
    def for_entry(self, period, institution):
        """The activities the institution leads, each with `record`, its progress in the
        period (two queries)."""
        activities = list(
            self.filter(plan=period.plan_id, lead_institution=institution)
            .select_related("opportunity")
            .prefetch_related(
                models.Prefetch(
                    "progress_reports",
                    # With its period: a posted form's clean() checks that it is still open,
                    # and would otherwise fetch it first.
                    queryset=ActivityProgress.objects.filter(period=period).select_related(
                        "period"
                    ),
                    to_attr="period_progress",
                )
            )
            .order_by("code")
        )
        for activity in activities:
            activity.record = activity.period_progress[0] if activity.period_progress else None
        return activities


class Activity(PlanElement):
    opportunity = models.ForeignKey(
        Opportunity,
        on_delete=models.CASCADE,
        related_name="activities",
        verbose_name=_("opportunity"),
    )
    title = models.TextField(_("title"))
    lead_institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        related_name="led_activities",
        verbose_name=_("lead institution"),
    )
    partners = models.ManyToManyField(
        Institution, blank=True, related_name="partner_activities", verbose_name=_("partners")
    )
    start_year = models.PositiveSmallIntegerField(_("start year"))
    end_year = models.PositiveSmallIntegerField(_("end year"))
    source_note = models.TextField(_("source note"), blank=True)
    history = HistoricalRecords(m2m_fields=[partners])

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "code"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="activity_code_unique_in_plan"),
            models.CheckConstraint(
                condition=Q(end_year__gte=F("start_year")), name="activity_years_ordered"
            ),
            models.CheckConstraint(
                condition=Q(start_year__gte=FIRST_YEAR, end_year__lte=LAST_YEAR),
                name="activity_year_range",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.title[:80]}"

    def parent_plan_id(self):
        return self.opportunity.plan_id

    def clean(self):
        if not (self.opportunity_id and self.start_year and self.end_year):
            return
        plan = self.opportunity.plan
        if self.start_year < plan.start_year or self.end_year > plan.end_year:
            raise ValidationError(
                _("An activity must run within its plan (%(start)s-%(end)s).")
                % {"start": plan.start_year, "end": plan.end_year}
            )


class FundingSource(models.Model):
    class Kind(models.TextChoices):
        NATIONAL_BUDGET = "national_budget", _("National budget")
        BASKET_FUND = "basket_fund", _("Basket fund")
        DONOR = "donor", _("Named donor")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="funding_sources",
        verbose_name=_("institution"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("funding source")
        verbose_name_plural = _("funding sources")

    def __str__(self):
        return self.name


class BudgetLine(models.Model):
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="budget_lines", verbose_name=_("activity")
    )
    # Kept inside the plan's span by a database trigger (migration 0002).
    year = models.PositiveSmallIntegerField(_("year"))
    funding_source = models.ForeignKey(
        FundingSource,
        on_delete=models.PROTECT,
        related_name="budget_lines",
        verbose_name=_("funding source"),
    )
    planned_amount = models.PositiveBigIntegerField(_("planned amount (FCFA)"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["activity", "year", "funding_source"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "year", "funding_source"], name="budget_line_unique"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_YEAR, year__lte=LAST_YEAR),
                name="budget_line_year_range",
            ),
        ]

    def __str__(self):
        return f"{self.activity.code} {self.year} {self.funding_source}"

    def clean(self):
        if self.activity_id and self.year:
            validate_year_in_plan(self.activity.plan, self.year)


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
