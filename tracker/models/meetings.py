"""The committee's quarterly meetings (DESIGN.md §2): who came, what was decided."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from . import limits
from .framework import Institution
from .reporting import ReportingPeriod


class CommitteeMeeting(models.Model):
    period = models.ForeignKey(
        ReportingPeriod,
        on_delete=models.PROTECT,
        related_name="meetings",
        verbose_name=_("period"),
    )
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=255)
    minutes = models.FileField(_("minutes"), upload_to="minutes/%Y/", blank=True)
    decisions = models.TextField(_("decisions"), blank=True, max_length=limits.DECISIONS)
    history = HistoricalRecords()

    class Meta:
        ordering = ["period", "date"]
        verbose_name = _("committee meeting")
        verbose_name_plural = _("committee meetings")
        constraints = limits.length_constraints(
            "committee_meeting", {"decisions": limits.DECISIONS}
        )

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.place}"


class MeetingAttendance(models.Model):
    meeting = models.ForeignKey(
        CommitteeMeeting,
        on_delete=models.CASCADE,
        related_name="attendance",
        verbose_name=_("meeting"),
    )
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="+", verbose_name=_("institution")
    )
    women_present = models.PositiveSmallIntegerField(_("women present"), default=0)
    men_present = models.PositiveSmallIntegerField(_("men present"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "institution"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "institution"], name="attendance_once_per_institution"
            ),
            models.CheckConstraint(
                condition=Q(women_present__gt=0) | Q(men_present__gt=0),
                name="attendance_someone_present",
            ),
        ]

    def __str__(self):
        return f"{self.institution.short_name}: {self.women_present} + {self.men_present}"
