"""The reference lists the framework and the reports draw on: institutions, regions, the
dimensions of a breakdown and their categories, alignment tags (SDG, AU, ...)."""

from django.db import models
from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class InstitutionQuerySet(models.QuerySet):
    def responsible_in(self, plan):
        """The institutions responsible for at least one of the plan's indicators, each with
        how many quarterly (due_quarterly) and annual (due_annual) indicators it reports
        (one query)."""

        def due_at(frequency):
            return Count(
                "indicators",
                filter=Q(indicators__plan=plan, indicators__reporting_frequency=frequency),
                distinct=True,
            )

        return (
            self.annotate(due_quarterly=due_at("quarterly"), due_annual=due_at("annual"))
            .filter(Q(due_quarterly__gt=0) | Q(due_annual__gt=0))
            .order_by("acronym", "name")
        )

    def with_members(self, people):
        """Each institution with `members`: those of `people` (a User QuerySet: say, the
        active members with an e-mail address) who belong to it, by name (two queries)."""
        return self.prefetch_related(
            models.Prefetch(
                "users",
                queryset=people.order_by("last_name", "first_name", "username"),
                to_attr="members",
            )
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
    # Where late reports are escalated, beyond the focal points themselves.
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    source_note = models.TextField(_("source note"), blank=True)
    history = HistoricalRecords()

    objects = InstitutionQuerySet.as_manager()

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
