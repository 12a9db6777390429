"""Entering values and moving them through the workflow: save (with the breakdown and the
evidence), submit, validate, return for correction; an activity's progress."""

from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from tracker import access, progress
from tracker.access import Right
from tracker.models import (
    ActivityProgress,
    BreakdownRow,
    EvidenceFile,
    IndicatorValue,
    limits,
    validate_breakdown,
    validate_figure,
)

from .common import Status, require_open, stale_version

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
        raise stale_version(record=record)
    record.version = expected_version + 1


def check_reason(*, reason):
    limits.check_lengths(IndicatorValue, {"return_reason": reason})


def check_value(*, indicator, data):
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


@transaction.atomic
def save_value(*, user, indicator, period, data, expected_version, reason=""):
    """Create or update the value of `indicator` for `period` as a draft.

    `expected_version` is the version the form was built from (0 for a new value). A validated
    value may only be changed by the secretariat, with a reason, and stays validated."""
    access.require_enter(user, indicator)
    check_value(indicator=indicator, data=data)
    check_reason(reason=reason)
    require_open(period=period)
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
        raise stale_version(
            record=IndicatorValue.objects.get(indicator=indicator, period=period)
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
    new_rows = []
    for (category_id, cross_id), amount in cells.items():
        row = existing.get((category_id, cross_id))
        if row is None:
            new_rows.append(
                BreakdownRow(
                    indicator_value=record,
                    category_id=category_id,
                    cross_category_id=cross_id,
                    value=amount,
                )
            )
        elif row.value != amount:
            row.value = amount
            row.save()
    # New cells in one INSERT, with their history: a sex × region grid is 22 rows, an imported
    # quarter a thousand. The period was checked open above, and a database trigger refuses
    # cells of a closed period whatever the path (migration 0010).
    bulk_create_with_history(
        new_rows,
        BreakdownRow,
        default_user=record._history_user,
        default_change_reason=record._change_reason,
    )


@transaction.atomic
def save_activity_progress(*, user, activity, period, fields, expected_version):
    access.require_enter(user, activity)
    limits.check_lengths(ActivityProgress, {"narrative": fields.get("narrative") or ""})
    require_open(period=period)
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
        raise stale_version(
            record=ActivityProgress.objects.get(activity=activity, period=period)
        ) from None
    return record


# Workflow


def _transition(record, user, to_status, reason=""):
    record.status = to_status
    record.version += 1
    record._history_user = user
    record._change_reason = reason
    record.save()


@transaction.atomic
def submit(*, user, values):
    """Draft or returned values go to the secretariat."""
    submitted = []
    for record in values:
        access.require_enter(user, record.indicator)
        require_open(period=record.period)
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
    require_open(period=record.period)
    if record.version != seen_version:
        raise stale_version(record=record, reviewing=True)
    if record.status != Status.SUBMITTED:
        raise ValidationError(_("%(value)s is not awaiting validation.") % {"value": record})
    return record


@transaction.atomic
def validate(*, user, seen_versions):
    """Submitted values become the figures that dashboards and reports count.
    `seen_versions` ({value id: version}) is what the secretariat looked at: a value changed
    since is refused, and so is the whole batch."""
    access.require(user, Right.VALIDATE)
    validated = []
    for pk in sorted(seen_versions):
        record = _reviewable(user, pk, seen_versions[pk])
        record.validated_by = user
        record.validated_at = timezone.now()
        record.return_reason = ""
        _transition(record, user, Status.VALIDATED)
        validated.append(record)
    return validated


@transaction.atomic
def return_for_correction(*, user, record, reason, seen_version):
    access.require(user, Right.VALIDATE)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say why the value is returned, so the member can correct it."))
    check_reason(reason=reason)
    record = _reviewable(user, record.pk, seen_version)
    record.return_reason = reason
    _transition(record, user, Status.RETURNED, reason=reason)
    return record


@transaction.atomic
def reopen_value(*, user, record, reason, seen_version):
    """The secretariat reopens a validated value for correction (issue 14): it goes back to
    its institution as returned, with the reason, and through the same workflow again (the
    four-eyes rule then applies to its validation). Its history says "Correction: …", and a
    published report counts it as changed since publication, as it does any new version."""
    access.require(user, Right.VALIDATE)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            _("Say what must be corrected: the institution reads it with the returned value.")
        )
    check_reason(reason=reason)
    record = (
        IndicatorValue.objects.select_for_update()
        .select_related("period", "indicator")
        .get(pk=record.pk)
    )
    require_open(period=record.period)
    if record.version != seen_version:
        raise stale_version(record=record, reviewing=True)
    if record.status != Status.VALIDATED:
        raise ValidationError(
            _("%(value)s is not validated: only a validated value is reopened for correction.")
            % {"value": record}
        )
    record.return_reason = reason
    record.validated_by = None
    record.validated_at = None
    _transition(
        record, user, Status.RETURNED, reason=_("Correction: %(reason)s") % {"reason": reason}
    )
    return record
