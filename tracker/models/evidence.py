"""The documents behind a reported value: a report, a list of participants, a photo."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .accounts import person_field
from .periods import refuse_if_closed
from .values import IndicatorValue


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
        ordering = ["indicator_value_id", "uploaded_at"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self):
        return self.original_name

    def save(self, *args, **kwargs):
        refuse_if_closed(self.indicator_value.period)
        super().save(*args, **kwargs)
