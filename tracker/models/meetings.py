"""The committee's quarterly meetings (DESIGN.md §2): who came, what was decided."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from . import limits
from .periods import ReportingPeriod
from .reference import Institution


class CommitteeMeetingQuerySet(models.QuerySet):
    def of_period(self, period):
        """The period's meetings with their attendance lines and the women and men present in
        all (two queries)."""
        return (
            self.filter(period=period)
            .annotate(
                women_total=Coalesce(Sum("attendance__women_present"), 0),
                men_total=Coalesce(Sum("attendance__men_present"), 0),
            )
            .prefetch_related(
                Prefetch(
                    "attendance",
                    queryset=MeetingAttendance.objects.select_related("institution"),
                )
            )
        )


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

    objects = CommitteeMeetingQuerySet.as_manager()

    class Meta:
        ordering = ["period", "date"]
        verbose_name = _("committee meeting")
        verbose_name_plural = _("committee meetings")
        constraints = limits.length_constraints(
            "committee_meeting", {"decisions": limits.DECISIONS}
        )

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.place}"

    @staticmethod
    def last_day_for(period):
        """A meeting reviews a period, so it is often held after the period ends: up to the
        plan's `days_to_hold_meeting` days after."""
        return period.end_date + datetime.timedelta(days=period.plan.days_to_hold_meeting)

    @staticmethod
    def check_record(*, period, date, place, attendance):
        """Every reason a meeting cannot be recorded as given, in one ValidationError, so that the
        secretariat corrects everything at once. `attendance` is a list of lines with an
        institution, women_present and men_present. The meeting form and the service both ask."""
        errors = []
        last_day = CommitteeMeeting.last_day_for(period)
        if date is None or not period.start_date <= date <= last_day:
            errors.append(
                gettext(
                    "The meeting reviews period %(period)s: give a date from its start "
                    "(%(start)s) to %(days)s days after its end (%(last)s)."
                )
                % {
                    "period": period.label,
                    "start": date_format(period.start_date, "SHORT_DATE_FORMAT"),
                    "days": period.plan.days_to_hold_meeting,
                    "last": date_format(last_day, "SHORT_DATE_FORMAT"),
                }
            )
        if not (place or "").strip():
            errors.append(gettext("Say where the meeting took place."))
        if not attendance:
            errors.append(
                gettext(
                    "Record who attended: at least one institution with the women and men present."
                )
            )
        seen = set()
        for line in attendance:
            name = line.institution.short_name
            women, men = line.women_present or 0, line.men_present or 0
            if women < 0 or men < 0:
                errors.append(
                    gettext("%(institution)s: a number of people present cannot be negative.")
                    % {"institution": name}
                )
            elif women + men == 0:
                errors.append(
                    gettext(
                        "%(institution)s: nobody is recorded as present. Give the number of women "
                        "and men, or remove the line."
                    )
                    % {"institution": name}
                )
            if line.institution.pk in seen:
                errors.append(
                    gettext("%(institution)s is listed twice; give its attendance on one line.")
                    % {"institution": name}
                )
            seen.add(line.institution.pk)
        if errors:
            raise ValidationError(errors)


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
