"""The operational plan: activities and what they are budgeted, in FCFA (XOF, no decimals)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .framework import (
    FIRST_YEAR,
    LAST_YEAR,
    Institution,
    Opportunity,
    PlanElement,
    validate_year_in_plan,
)


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
