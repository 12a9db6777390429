"""The pages' forms, one module per area. They check what people type; tracker.services
stores it and checks it again for every other path."""

from .entry import ActivityProgressForm, IndicatorValueForm
from .files import check_evidence_file
from .meetings import AttendanceFormSet, MeetingEntry, MeetingForm
from .reports import ReportNarrativeForm

__all__ = [
    "ActivityProgressForm",
    "AttendanceFormSet",
    "IndicatorValueForm",
    "MeetingEntry",
    "MeetingForm",
    "ReportNarrativeForm",
    "check_evidence_file",
]
