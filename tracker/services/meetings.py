"""Recording the committee's meetings: who came, what was decided, the minutes."""

from dataclasses import dataclass

from django.db import transaction

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


@transaction.atomic
def record_meeting(*, user, period, date, place, attendance, decisions="", minutes=None):
    """Store a committee meeting with its attendance: all of it or, on any error, nothing.
    Meetings may be recorded in a closed period: closing freezes the figures, not the record
    of who met."""
    access.require(user, Right.RECORD_MEETINGS)
    CommitteeMeeting.check_record(period=period, date=date, place=place, attendance=attendance)
    limits.check_lengths(CommitteeMeeting, {"decisions": decisions})
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
