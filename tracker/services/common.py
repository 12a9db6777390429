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
