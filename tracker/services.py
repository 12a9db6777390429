"""Writes that span several rows or models: entering, submitting, validating and returning
values, correcting a validated one, opening and closing periods (DESIGN.md §1-§3).

Every function checks who may do it (tracker.access, the same door as the pages), checks the
figures itself (a script, the admin or an import gets the refusals the entry form gives),
refuses writes to closed periods, and leaves a history entry with the reason where one is
asked. Views and the admin call these; none writes values itself."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tracker import access, progress
from tracker.access import Right
from tracker.formatting import format_number
from tracker.models import (
    ActivityProgress,
    AnnualReport,
    BreakdownRow,
    CommitteeMeeting,
    EvidenceFile,
    IndicatorValue,
    MeetingAttendance,
    PeriodClosedError,
    PublishedReport,
    ReportingPeriod,
    limits,
)
from tracker.models.reporting import validate_breakdown, validate_figure
from tracker.reports import annual

Status = IndicatorValue.Status


class StaleVersionError(ValidationError):
    """Someone saved the record after the form was built; the form's input must not
    overwrite theirs."""

    def __init__(self, record, *, reviewing=False):
        latest = record.history.order_by("-history_date").select_related("history_user").first()
        who = latest.history_user if latest and latest.history_user else None
        self.saved_by = who.get_full_name() or who.username if who else _("another user")
        self.saved_at = latest.history_date if latest else None
        if reviewing:
            message = _(
                "%(value)s: %(who)s changed this value at %(when)s, after you opened the "
                "queue. Look at the new figure before you validate or return it."
            )
        else:
            message = _(
                "%(who)s saved this value at %(when)s, after you opened the page. Your input "
                "is kept below: compare it with theirs and save again."
            )
        super().__init__(
            message
            % {
                "value": f"{record.indicator.code} {record.period.label}" if reviewing else "",
                "who": self.saved_by,
                "when": date_format(timezone.localtime(self.saved_at), "SHORT_DATETIME_FORMAT")
                if self.saved_at
                else "?",
            },
            code="stale",
        )


# Who may do what: tracker.access decides; these read as the services' own words.


def require_open(period):
    if not ReportingPeriod.objects.filter(
        pk=period.pk, status=ReportingPeriod.Status.OPEN
    ).exists():
        raise PeriodClosedError(period)


# Entering values


# A ValueInput field left as UNCHANGED keeps what the stored value has.
UNCHANGED = object()


@dataclass
class ValueInput:
    """What a form hands over for one indicator value."""

    value: object = None
    numerator: object = None
    denominator: object = None
    qualifier: str = "exact"  # progress.Qualifier: "over 874" is at_least
    narrative: str = ""
    source: str = ""
    note: str | None = None  # the internal note; None leaves it as it is
    citation: object = UNCHANGED  # a Source, or None; the entry page leaves it as it is
    breakdown: dict | None = None  # {(category_id, cross_category_id or None): amount}
    evidence: tuple = ()  # uploaded files, already checked by the form


def _claim_version(model, record, expected_version):
    """Bump the version only if nobody else has: the UPDATE's WHERE clause decides, so two
    concurrent saves from the same version cannot both win (on PostgreSQL the second waits
    for the first's row lock, then finds the version moved)."""
    claimed = model.objects.filter(pk=record.pk, version=expected_version).update(
        version=expected_version + 1
    )
    if not claimed:
        raise StaleVersionError(record)
    record.version = expected_version + 1


def check_reason(reason):
    limits.check_lengths(IndicatorValue, {"return_reason": reason})


def check_value(indicator, data):
    """Every reason `data` cannot be stored as the value of `indicator`, in one
    ValidationError {field: messages}: the entry form's rules, for every other path."""
    errors = validate_figure(indicator, data.value, data.numerator, data.denominator)
    if data.qualifier not in progress.Qualifier.values:
        errors["qualifier"] = _(
            "Say whether the figure is exact, a lower or upper bound, or about."
        )
    breakdown = validate_breakdown(indicator, data.value, data.breakdown or {})
    if breakdown:
        errors[NON_FIELD_ERRORS] = breakdown
    try:
        limits.check_lengths(
            IndicatorValue,
            {"narrative": data.narrative, "source": data.source, "note": data.note or ""},
        )
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)


def save_value(user, indicator, period, data, expected_version, *, reason=""):
    """Create or update the value of `indicator` for `period` as a draft.

    `expected_version` is the version the form was built from (0 for a new value). A validated
    value may only be changed by the secretariat, with a reason, and stays validated."""
    access.require_enter(user, indicator)
    check_value(indicator, data)
    check_reason(reason)
    with transaction.atomic():
        require_open(period)
        record = (
            IndicatorValue.objects.select_for_update()
            .filter(indicator=indicator, period=period)
            .first()
        )
        if record is None:
            if expected_version != 0:
                raise ValidationError(_("This value no longer exists; reload the page."))
            record = IndicatorValue(indicator=indicator, period=period, status=Status.DRAFT)
            record.version = 1
        else:
            if record.status == Status.SUBMITTED and not access.has_right(user, Right.VALIDATE):
                raise ValidationError(
                    _("This value is awaiting validation; it can no longer be changed.")
                )
            if record.status == Status.VALIDATED:
                access.require(user, Right.VALIDATE)
                if not reason.strip():
                    raise ValidationError(
                        _("Changing a validated value needs a reason."), code="reason"
                    )
            _claim_version(IndicatorValue, record, expected_version)
            if record.status == Status.RETURNED:
                record.status = Status.DRAFT
        record.value = data.value
        record.numerator = data.numerator
        record.denominator = data.denominator
        record.qualifier = data.qualifier
        record.narrative = data.narrative
        record.source = data.source
        if data.note is not None:
            record.note = data.note
        if data.citation is not UNCHANGED:
            record.citation = data.citation
        record.entered_by = user
        record._history_user = user
        record._change_reason = reason
        try:
            with transaction.atomic():
                record.save()
        except IntegrityError:
            # A concurrent first save of the same value won the unique constraint.
            raise StaleVersionError(
                IndicatorValue.objects.get(indicator=indicator, period=period)
            ) from None
        if data.breakdown is not None:
            _replace_breakdown(record, data.breakdown)
        for upload in data.evidence:
            EvidenceFile.objects.create(
                indicator_value=record,
                file=upload,
                original_name=upload.name[:255],
                size=upload.size,
                uploaded_by=user,
            )
    return record


def _replace_breakdown(record, cells):
    existing = {
        (row.category_id, row.cross_category_id): row for row in record.breakdown_rows.all()
    }
    for key, row in existing.items():
        if key not in cells:
            row.delete()
    for (category_id, cross_id), amount in cells.items():
        row = existing.get((category_id, cross_id))
        if row is None:
            BreakdownRow.objects.create(
                indicator_value=record,
                category_id=category_id,
                cross_category_id=cross_id,
                value=amount,
            )
        elif row.value != amount:
            row.value = amount
            row.save()


def save_activity_progress(user, activity, period, fields, expected_version):
    access.require_enter(user, activity)
    limits.check_lengths(ActivityProgress, {"narrative": fields.get("narrative") or ""})
    with transaction.atomic():
        require_open(period)
        record = (
            ActivityProgress.objects.select_for_update()
            .filter(activity=activity, period=period)
            .first()
        )
        if record is None:
            if expected_version != 0:
                raise ValidationError(_("This report no longer exists; reload the page."))
            record = ActivityProgress(activity=activity, period=period)
        else:
            _claim_version(ActivityProgress, record, expected_version)
        for name, value in fields.items():
            setattr(record, name, value)
        record.entered_by = user
        record._history_user = user
        try:
            with transaction.atomic():
                record.save()
        except IntegrityError:
            raise StaleVersionError(
                ActivityProgress.objects.get(activity=activity, period=period)
            ) from None
    return record


# Workflow


def _transition(record, user, to_status, reason=""):
    record.status = to_status
    record.version += 1
    record._history_user = user
    record._change_reason = reason
    record.save()


def submit(user, values):
    """Draft or returned values go to the secretariat."""
    submitted = []
    with transaction.atomic():
        for record in values:
            access.require_enter(user, record.indicator)
            require_open(record.period)
            if record.status not in (Status.DRAFT, Status.RETURNED):
                continue
            record.submitted_at = timezone.now()
            record.submitted_by = user
            _transition(record, user, Status.SUBMITTED)
            submitted.append(record)
    return submitted


def _reviewable(user, pk, seen_version):
    """The submitted value `pk`, locked, if `user` may review it as it stood when they saw it
    (`seen_version`): four eyes, open period, unchanged since."""
    record = (
        IndicatorValue.objects.select_for_update().select_related("period", "indicator").get(pk=pk)
    )
    own_part = access.own_part_in(user, record)
    if own_part:
        raise PermissionDenied(f"{record.indicator.code} {record.period.label}: {own_part}")
    require_open(record.period)
    if record.version != seen_version:
        raise StaleVersionError(record, reviewing=True)
    if record.status != Status.SUBMITTED:
        raise ValidationError(_("%(value)s is not awaiting validation.") % {"value": record})
    return record


def validate(user, *, seen_versions):
    """Submitted values become the figures that dashboards and reports count.
    `seen_versions` ({value id: version}) is what the secretariat looked at: a value changed
    since is refused, and so is the whole batch."""
    access.require(user, Right.VALIDATE)
    validated = []
    with transaction.atomic():
        for pk in sorted(seen_versions):
            record = _reviewable(user, pk, seen_versions[pk])
            record.validated_by = user
            record.validated_at = timezone.now()
            record.return_reason = ""
            _transition(record, user, Status.VALIDATED)
            validated.append(record)
    return validated


def return_for_correction(user, record, *, reason, seen_version):
    access.require(user, Right.VALIDATE)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say why the value is returned, so the member can correct it."))
    check_reason(reason)
    with transaction.atomic():
        record = _reviewable(user, record.pk, seen_version)
        record.return_reason = reason
        _transition(record, user, Status.RETURNED, reason=reason)
    return record


# Periods


def close_period(user, period):
    access.require(user, Right.MANAGE_PERIODS)
    with transaction.atomic():
        period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
        if not period.is_open:
            return period
        period.status = ReportingPeriod.Status.CLOSED
        period.closed_at = timezone.now()
        period._history_user = user
        period.save()
    return period


def reopen_period(user, period, reason):
    access.require(user, Right.MANAGE_PERIODS)
    if not reason or not reason.strip():
        raise ValidationError(_("Say why the period is reopened."))
    check_reason(reason.strip())
    with transaction.atomic():
        period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
        if period.is_open:
            return period
        period.status = ReportingPeriod.Status.OPEN
        period.closed_at = None
        period._change_reason = reason.strip()
        period._history_user = user
        period.save()
    return period


# History


FIELD_LABELS_SHOWN = [
    "value",
    "numerator",
    "denominator",
    "status",
    "return_reason",
    "narrative",
    "source",
]


def _shown_in_history(name, stored):
    """A stored field as the history page shows it: statuses by their label and figures
    formatted, in the reader's language."""
    if stored is None or stored == "":
        return stored
    if name == "status":
        return IndicatorValue.Status(stored).label
    if name in ("value", "numerator", "denominator"):
        return format_number(stored)
    return stored


def value_timeline(record):
    """Each change of a value, newest first: who, when, which fields from what to what, and
    the reason given."""
    entries = list(record.history.select_related("history_user").order_by("history_date"))
    timeline = []
    previous = None
    for entry in entries:
        changes = []
        if previous is None:
            changes = [
                (name, None, getattr(entry, name))
                for name in FIELD_LABELS_SHOWN
                if getattr(entry, name) not in (None, "")
            ]
        else:
            delta = entry.diff_against(previous, included_fields=FIELD_LABELS_SHOWN)
            changes = [(change.field, change.old, change.new) for change in delta.changes]
        timeline.append(
            {
                "when": entry.history_date,
                "who": entry.history_user,
                "kind": entry.get_history_type_display(),
                "changes": [
                    (
                        IndicatorValue._meta.get_field(name).verbose_name,
                        _shown_in_history(name, old),
                        _shown_in_history(name, new),
                    )
                    for name, old, new in changes
                ],
                "reason": entry.history_change_reason or "",
                "version": entry.version,
            }
        )
        previous = entry
    timeline.reverse()
    return timeline


# Committee meetings


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


# Annual reports


def annual_report_for(user, plan, year):
    access.require(user, Right.PREPARE_REPORTS)
    if year not in plan.years:
        raise ValidationError(_("%(year)s is outside the plan.") % {"year": year})
    report, _created = AnnualReport.objects.get_or_create(plan=plan, year=year)
    return report


def save_report_narrative(user, report, sections):
    access.require(user, Right.PREPARE_REPORTS)
    texts = {name: sections.get(name, "").strip() for name in annual.NARRATIVE_SECTIONS}
    limits.check_lengths(AnnualReport, texts)
    for name in annual.NARRATIVE_SECTIONS:
        setattr(report, name, sections.get(name, "").strip())
    report._history_user = user
    report.save()
    return report


def publish_report(user, plan, year):
    """Keep the report's figures as they stand now, in both languages, as a new version."""
    access.require(user, Right.PUBLISH_REPORTS)
    report = annual_report_for(user, plan, year)
    with transaction.atomic():
        report = AnnualReport.objects.select_for_update().get(pk=report.pk)
        figures = {}
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                figures[code] = annual.build(plan, year)
        number = (report.versions.aggregate(last=Max("number"))["last"] or 0) + 1
        version = PublishedReport.objects.create(
            report=report,
            number=number,
            published_by=user,
            figures=figures,
            narrative=report.narrative,
            value_versions=annual.value_versions(plan, year),
        )
        report.status = AnnualReport.Status.PUBLISHED
        report._history_user = user
        report._change_reason = f"Published version {number}"
        report.save()
    return version
