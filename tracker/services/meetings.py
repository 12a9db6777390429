"""Recording the committee's meetings: who came, what was decided, the minutes."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tracker import access
from tracker.access import Right
from tracker.models import (
    CommitteeMeeting,
    MeetingAttendance,
    limits,
)


@dataclass
class AttendanceInput:
    """One line of a meeting's attendance: an institution and how many women and men it sent."""

    institution: object
    women_present: int = 0
    men_present: int = 0


def check_meeting(period, date, place, attendance):
    """Every reason a meeting cannot be recorded as given, in one ValidationError, so that the
    secretariat corrects everything at once."""
    errors = []
    if date is None or not period.start_date <= date <= period.end_date:
        errors.append(
            _("The meeting date must fall within period %(period)s (%(start)s to %(end)s).")
            % {
                "period": period.label,
                "start": date_format(period.start_date, "SHORT_DATE_FORMAT"),
                "end": date_format(period.end_date, "SHORT_DATE_FORMAT"),
            }
        )
    if not (place or "").strip():
        errors.append(_("Say where the meeting took place."))
    if not attendance:
        errors.append(
            _("Record who attended: at least one institution with the women and men present.")
        )
    seen = set()
    for line in attendance:
        name = line.institution.short_name
        women, men = line.women_present or 0, line.men_present or 0
        if women < 0 or men < 0:
            errors.append(
                _("%(institution)s: a number of people present cannot be negative.")
                % {"institution": name}
            )
        elif women + men == 0:
            errors.append(
                _(
                    "%(institution)s: nobody is recorded as present. Give the number of women "
                    "and men, or remove the line."
                )
                % {"institution": name}
            )
        if line.institution.pk in seen:
            errors.append(
                _("%(institution)s is listed twice; give its attendance on one line.")
                % {"institution": name}
            )
        seen.add(line.institution.pk)
    if errors:
        raise ValidationError(errors)


def record_meeting(user, period, *, date, place, attendance, decisions="", minutes=None):
    """Store a committee meeting with its attendance: all of it or, on any error, nothing.
    Meetings may be recorded in a closed period: closing freezes the figures, not the record
    of who met."""
    access.require(user, Right.RECORD_MEETINGS)
    check_meeting(period, date, place, attendance)
    limits.check_lengths(CommitteeMeeting, {"decisions": decisions})
    with transaction.atomic():
        meeting = CommitteeMeeting(
            period=period, date=date, place=place.strip(), decisions=decisions.strip()
        )
        if minutes:
            meeting.minutes = minutes
        meeting._history_user = user
        meeting.save()
        for line in attendance:
            row = MeetingAttendance(
                meeting=meeting,
                institution=line.institution,
                women_present=line.women_present or 0,
                men_present=line.men_present or 0,
            )
            row._history_user = user
            row.save()
    return meeting
