"""Closing and reopening reporting periods."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tracker import access
from tracker.access import Right
from tracker.models import (
    ReportingPeriod,
)

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
