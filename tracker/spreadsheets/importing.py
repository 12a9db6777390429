"""What a filled template would do, and doing it: the preview (a dry run) checks every value of
the file with the entry page's own form (IndicatorValueForm: the same parser for "1 879" and
"12,5", the same rules per unit kind, breakdown and qualifier), then the services' checks
(services.check_value, the value's status, the version the template was made from, the
institution's right to enter it); the commit stores the values through services.save_value,
and submits them if asked, all in one transaction, so that any refusal stores nothing."""

import hashlib
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tracker import access, progress, services
from tracker.access import NO_INSTITUTION, Right
from tracker.formatting import format_indicator_value
from tracker.forms import IndicatorValueForm
from tracker.models import (
    Indicator,
    IndicatorValue,
    Institution,
    PeriodClosedError,
    SpreadsheetImport,
)

from .cells import FIELDS_READ, form_text
from .errors import CellError, SpreadsheetRefused, cell_name
from .keys import keys_edited
from .reading import read_template

Status = IndicatorValue.Status


class Outcome:
    CREATE = "create"
    CHANGE = "change"
    KEEP = "keep"
    ERROR = "error"


@dataclass
class Line:
    """One indicator of the file and what importing it would do."""

    indicator: Indicator
    key: object  # keys.ValueKey
    outcome: str = Outcome.KEEP
    data: object = None  # services.ValueInput to store
    errors: list = field(default_factory=list)
    before: str = "—"
    after: str = ""


@dataclass
class ImportPlan:
    period: object
    institution: Institution
    lines: list

    @property
    def errors(self):
        return [error for line in self.lines for error in line.errors]

    def with_outcome(self, outcome):
        return [line for line in self.lines if line.outcome == outcome]

    def summary(self):
        return {
            outcome: [line.key.code for line in self.with_outcome(outcome)]
            for outcome in (Outcome.CREATE, Outcome.CHANGE, Outcome.KEEP)
        }


def plan_import(*, user, plan, period, data):
    """The ImportPlan of the file `data` (bytes) uploaded by `user` on `period`'s page, or
    SpreadsheetRefused when the file as a whole cannot be imported there."""
    template = read_template(data)
    keys = template.keys
    if keys.plan != plan.slug:
        raise SpreadsheetRefused(
            _(
                "This template is for another plan (%(plan)s). Download the template from "
                "this plan's entry page."
            )
            % {"plan": keys.plan}
        )
    if keys.period != period.key:
        raise SpreadsheetRefused(
            _(
                "This template is for another period (%(found)s), not %(period)s. Upload it "
                "on that period's entry page, or download the template of %(period)s."
            )
            % {"found": keys.period, "period": period.label}
        )
    if not period.is_open:
        raise SpreadsheetRefused(PeriodClosedError(period).messages[0])
    institution = _institution(user, keys)
    indicators = {
        indicator.pk: indicator for indicator in Indicator.objects.for_entry(period, institution)
    }
    lines = [_line(user, indicators, value, template, keys.sheet, plan) for value in keys.values]
    return ImportPlan(period=period, institution=institution, lines=lines)


def _institution(user, keys):
    institution = Institution.objects.filter(pk=keys.institution_id).first()
    if institution is None:
        raise keys_edited()
    access.require(user, Right.ENTER)
    if access.has_right(user, Right.ENTER_FOR_ANY_INSTITUTION):
        return institution
    if not user.institution_id:
        raise SpreadsheetRefused(str(NO_INSTITUTION))
    if user.institution_id != institution.pk:
        raise SpreadsheetRefused(
            _(
                "This template is for %(institution)s; your account reports for %(yours)s. "
                "Download your institution's template from the entry page."
            )
            % {
                "institution": institution.short_name,
                "yours": user.institution.short_name,
            }
        )
    return institution


def _line(user, indicators, key, template, sheet, plan):
    indicator = indicators.get(key.indicator_id)
    if indicator is None:
        indicator = Indicator.objects.filter(pk=key.indicator_id, plan=plan).first()
        if indicator is None or indicator.code != key.code:
            raise keys_edited()
        indicator.record = None
    line = Line(indicator=indicator, key=key)
    record = indicator.record
    line.before = format_indicator_value(indicator, record)

    def where(name):
        reference = key.cells.get(name) or key.cells.get("value") or key.cells["code"]
        return cell_name(sheet, reference)

    def refuse(name, message):
        line.errors.append(CellError(where=where(name), message=str(message), indicator=key.code))
        line.outcome = Outcome.ERROR

    code_cell = template.cells.get(key.cells.get("code", ""))
    if code_cell is None or str(code_cell.value or "").strip() != key.code:
        refuse(
            "code",
            _("The indicator code was changed (it was %(code)s). Download a new template.")
            % {"code": key.code},
        )
        return line
    form = IndicatorValueForm(
        _form_data(indicator, record, key, template, refuse), indicator=indicator, record=record
    )
    if line.errors or not form.has_changed():
        return line
    # Who may change this value, and from which version, whatever the figures say.
    _check_status(user, indicator, record, key, refuse)
    if not form.is_valid():
        for name, messages in form.errors.items():
            for message in messages:
                refuse(_error_field(name, key), message)
        return line
    line.data = form.value_input()
    line.after = _shown(indicator, line.data)
    try:
        services.check_value(indicator=indicator, data=line.data)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            for message in messages:
                refuse(_error_field(name, key), message)
    if line.outcome != Outcome.ERROR:
        line.outcome = Outcome.CHANGE if record else Outcome.CREATE
    return line


def _form_data(indicator, record, key, template, refuse):
    """The cells of the indicator's block as the entry form would receive them."""
    data = {"version": str(record.version if record else 0)}
    for name, reference in key.cells.items():
        if name not in FIELDS_READ and not name.startswith("cell_"):
            continue
        cell = template.cells.get(reference)
        text, problem = form_text(indicator, record, name, cell)
        if problem:
            refuse(name, problem)
        data[name] = text
    return data


def _error_field(name, key):
    if name == NON_FIELD_ERRORS:
        return "breakdown_total" if "breakdown_total" in key.cells else "value"
    return name


def _check_status(user, indicator, record, key, refuse):
    """What the services would refuse of a change to this value, whatever its figures: said in
    the preview rather than at the commit."""
    try:
        access.require_enter(user, indicator)
    except PermissionDenied as error:
        refuse("code", error)
    if record and record.status == Status.VALIDATED:
        refuse(
            "code",
            _(
                "This value is validated; the secretariat corrects validated values on the "
                "entry page, with a reason."
            ),
        )
    elif (
        record and record.status == Status.SUBMITTED and not access.has_right(user, Right.VALIDATE)
    ):
        refuse("code", _("This value is awaiting validation; it can no longer be changed."))
    if (record.version if record else 0) != key.version:
        refuse("code", _stale_message(record, key))


def _stale_message(record, key):
    if record is None:
        return _("This value no longer exists. Download a new template.")
    stale = services.stale_version(record=record)
    return _(
        "%(who)s changed this value after the template was made (version %(then)s, now "
        "%(now)s). Download a new template, or correct this value on the entry page."
    ) % {"who": stale.saved_by, "then": key.version, "now": record.version}


def _shown(indicator, data):
    """The figure the import would store, as the pages print it."""
    unsaved = IndicatorValue(
        indicator=indicator,
        value=data.value,
        numerator=data.numerator,
        denominator=data.denominator,
        qualifier=data.qualifier,
    )
    if data.denominator:
        unsaved.value = progress.percentage(data.numerator, data.denominator)
    shown = format_indicator_value(indicator, unsaved)
    if data.breakdown:
        shown += " · " + _("breakdown of %(cells)s cells") % {"cells": len(data.breakdown)}
    return shown


# Commit


def file_digest(data):
    return hashlib.sha256(data).hexdigest()


def stored_bytes(upload):
    """The bytes of a stored import, refused if they are not those previewed."""
    with upload.file.open("rb") as stored:
        data = stored.read()
    if file_digest(data) != upload.sha256:
        raise SpreadsheetRefused(
            _("The stored file is not the one previewed. Upload the file again.")
        )
    return data


@transaction.atomic
def commit_import(*, user, upload, submit):
    """Stores the values of the previewed import `upload` (a SpreadsheetImport), all or
    nothing: the file is read and checked again as it is stored, never as a preview page
    posted back said. Returns the values saved; raises ValidationError (SpreadsheetRefused,
    a stale version...) or PermissionDenied, and then nothing of the file is stored."""
    if upload.uploaded_by_id != user.pk or upload.status != SpreadsheetImport.Status.PREVIEWED:
        raise SpreadsheetRefused(_("This import was already handled. Upload the file again."))
    plan = plan_import(user=user, plan=upload.plan, period=upload.period, data=stored_bytes(upload))
    if plan.errors:
        raise ValidationError([str(error) for error in plan.errors])
    reason = _("Imported from %(file)s (import %(number)s)") % {
        "file": upload.original_name,
        "number": upload.pk,
    }
    saved = [
        services.save_value(
            user=user,
            indicator=line.indicator,
            period=upload.period,
            data=line.data,
            expected_version=line.key.version,
            reason=reason,
        )
        for line in plan.lines
        if line.outcome in (Outcome.CREATE, Outcome.CHANGE)
    ]
    submitted = services.submit(user=user, values=saved) if submit else []
    upload.status = SpreadsheetImport.Status.COMMITTED
    upload.committed_at = timezone.now()
    upload.submit = submit
    upload.summary = {**plan.summary(), "submitted": len(submitted)}
    upload.save()
    upload.changed_values.set(saved)
    return saved
