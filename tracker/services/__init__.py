"""Writes that span several rows or models (DESIGN.md §1-§3, §8), one module per area:
values (entering, submitting, validating, returning, reopening for correction; activity
progress), comments (a value's thread and its e-mails), periods (closing and
reopening), plans (generating their periods), meetings, reports (narrative, publishing).

Every function checks who may do it (tracker.access, the same door as the pages), checks the
figures itself (a script, the admin or an import gets the refusals the entry form gives),
refuses writes to closed periods, and leaves a history entry with the reason where one is
asked. Views and the admin call these; none writes values itself. The names below are the
package's interface: callers write `services.save_value(...)`."""

from .comments import add_comment, reopen_with_comment, return_with_comment
from .common import StaleVersionError, require_open, stale_version
from .meetings import AttendanceInput, record_meeting
from .periods import close_period, reopen_period, reschedule_due_dates, set_due_date
from .plans import generate_periods
from .reminders import Reminded, remind_institution
from .reports import annual_report_for, publish_report, save_report_narrative
from .values import (
    UNCHANGED,
    ValueInput,
    check_reason,
    check_value,
    reopen_value,
    return_for_correction,
    save_activity_progress,
    save_value,
    submit,
    validate,
)

__all__ = [
    "UNCHANGED",
    "AttendanceInput",
    "Reminded",
    "StaleVersionError",
    "ValueInput",
    "add_comment",
    "annual_report_for",
    "check_reason",
    "check_value",
    "close_period",
    "generate_periods",
    "publish_report",
    "record_meeting",
    "remind_institution",
    "reopen_period",
    "reschedule_due_dates",
    "reopen_value",
    "reopen_with_comment",
    "require_open",
    "return_for_correction",
    "return_with_comment",
    "save_activity_progress",
    "save_report_narrative",
    "save_value",
    "set_due_date",
    "stale_version",
    "submit",
    "validate",
]
