"""Closing and reopening reporting periods; moving their due dates."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tracker import access
from tracker.access import Right
from tracker.models import (
    ReportingPeriod,
)
from tracker.models.periods import LONGEST_DELAY_DAYS

from .common import require_open
from .values import check_reason


@transaction.atomic
def close_period(*, user, period):
    access.require(user, Right.MANAGE_PERIODS)
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    if not period.is_open:
        return period
    period.status = ReportingPeriod.Status.CLOSED
    period.closed_at = timezone.now()
    period._history_user = user
    period.save()
    return period


@transaction.atomic
def reopen_period(*, user, period, reason):
    access.require(user, Right.MANAGE_PERIODS)
    if not reason or not reason.strip():
        raise ValidationError(_("Say why the period is reopened."))
    check_reason(reason=reason.strip())
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    if period.is_open:
        return period
    period.status = ReportingPeriod.Status.OPEN
    period.closed_at = None
    period._change_reason = reason.strip()
    period._history_user = user
    period.save()
    return period


@transaction.atomic
def set_due_date(*, user, period, due_on, reason):
    """Move the due date of one open period's reports (the secretariat grants a delay, or
    brings it forward), keeping the reason in the period's history."""
    access.require(user, Right.MANAGE_PERIODS)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say why the due date changes."))
    check_reason(reason=reason)
    if not isinstance(due_on, datetime.date):
        raise ValidationError(_("Give the new due date as a date."))
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    require_open(period=period)
    if due_on < period.end_date:
        raise ValidationError(
            _("The reports of %(period)s cannot be due before the period ends (%(end)s).")
            % {"period": period.label, "end": date_format(period.end_date, "SHORT_DATE_FORMAT")}
        )
    if due_on > period.end_date + datetime.timedelta(days=LONGEST_DELAY_DAYS):
        raise ValidationError(
            _("The reports of %(period)s cannot be due more than a year after it ends.")
            % {"period": period.label}
        )
    if due_on == period.due_on:
        return period
    period.due_on = due_on
    period._change_reason = reason
    period._history_user = user
    period.save()
    return period


@transaction.atomic
def reschedule_due_dates(*, plan, previous_days, user=None):
    """After the plan's days to report changed from `previous_days`, move the due dates of
    its open periods that still followed the old rule; dates the secretariat moved by hand,
    and closed periods, stay as they are. Part of editing the plan, like generate_periods:
    the admin calls it with the rights that edit already requires."""
    if previous_days == plan.days_to_report:
        return []
    reason = _("The plan's days to report changed from %(old)s to %(new)s.") % {
        "old": previous_days,
        "new": plan.days_to_report,
    }
    moved = []
    periods = ReportingPeriod.objects.select_for_update().filter(
        plan=plan, status=ReportingPeriod.Status.OPEN
    )
    for period in periods:
        if not period.due_by_rule(previous_days):
            continue
        period.due_on = plan.due_date_after(period.end_date)
        period._change_reason = reason
        period._history_user = user
        period.save()
        moved.append(period)
    return moved
