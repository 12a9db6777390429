"""What every service shares: the stale-version refusal and the open-period check."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tracker.models import (
    IndicatorValue,
    PeriodClosedError,
    ReportingPeriod,
)

Status = IndicatorValue.Status


class StaleVersionError(ValidationError):
    """Someone saved the record after the form was built; the form's input must not
    overwrite theirs. It holds plain values: `stale_version()` reads who saved last."""

    def __init__(self, record, *, saved_by, saved_at, reviewing=False):
        self.saved_by = saved_by
        self.saved_at = saved_at
        if reviewing:
            message = _(
                "%(value)s: %(who)s changed this value at %(when)s, after you opened the "
                "page. Look at the new figure before you validate or return it."
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
                "who": saved_by,
                "when": date_format(timezone.localtime(saved_at), "SHORT_DATETIME_FORMAT")
                if saved_at
                else "?",
            },
            code="stale",
        )


def stale_version(*, record, reviewing=False):
    """The refusal for a form built from an older version of `record`, naming who saved it
    last and when (one query, on the record's history)."""
    latest = record.history.order_by("-history_date").select_related("history_user").first()
    who = latest.history_user if latest and latest.history_user else None
    return StaleVersionError(
        record,
        saved_by=(who.get_full_name() or who.username) if who else _("another user"),
        saved_at=latest.history_date if latest else None,
        reviewing=reviewing,
    )


# Who may do what: tracker.access decides; these read as the services' own words.


def require_open(*, period):
    if not ReportingPeriod.objects.filter(
        pk=period.pk, status=ReportingPeriod.Status.OPEN
    ).exists():
        raise PeriodClosedError(period)
