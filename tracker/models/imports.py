"""Quarterly spreadsheets uploaded to the tracker (DESIGN.md §4, "the quarter in Excel"): each
file is kept with who uploaded it, for which plan, period and institution, what it would change
(the preview) and, once committed, the values it changed, as evidence of the import."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .accounts import person_field
from .framework import Plan
from .periods import ReportingPeriod
from .reference import Institution
from .values import IndicatorValue


class SpreadsheetImportQuerySet(models.QuerySet):
    def committed_into(self, value):
        """The committed imports that changed `value`, newest first, with who made them (one
        query): what the value's history links to."""
        return (
            self.filter(status=SpreadsheetImport.Status.COMMITTED, changed_values=value)
            .select_related("uploaded_by")
            .order_by("-committed_at", "-pk")
        )


class SpreadsheetImport(models.Model):
    class Status(models.TextChoices):
        # Checked and shown to its uploader, who has not confirmed it yet.
        PREVIEWED = "previewed", _("Previewed")
        COMMITTED = "committed", _("Imported")
        # Confirmed, but refused as a whole when it was stored (a value changed meanwhile...).
        REFUSED = "refused", _("Refused")

    plan = models.ForeignKey(
        Plan, on_delete=models.PROTECT, related_name="+", verbose_name=_("plan")
    )
    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.PROTECT, related_name="+", verbose_name=_("period")
    )
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="+", verbose_name=_("institution")
    )
    uploaded_by = person_field(_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    # Checked again before the commit: the file committed is the file previewed.
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PREVIEWED
    )
    submit = models.BooleanField(_("submit to the secretariat"), default=False)
    # What the preview counted and, once committed, what was stored (codes and counts).
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    refusal = models.TextField(_("reason for refusal"), blank=True)
    committed_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    changed_values = models.ManyToManyField(
        IndicatorValue,
        blank=True,
        related_name="spreadsheet_imports",
        verbose_name=_("values created or changed"),
    )

    objects = SpreadsheetImportQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("spreadsheet import")
        verbose_name_plural = _("spreadsheet imports")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["previewed", "committed", "refused"]),
                name="spreadsheet_import_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="committed") | Q(committed_at__isnull=False),
                name="spreadsheet_import_committed_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.original_name} ({self.period.label}, {self.institution.short_name})"
