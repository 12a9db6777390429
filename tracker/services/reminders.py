"""Reminders the secretariat sends by hand, from the completeness page (tracker/reminders/ decides
and sends the others)."""

from dataclasses import dataclass
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tracker import access, reminders
from tracker.access import Right
from tracker.models import Reminder

from .common import require_open


@dataclass
class Reminded:
    """Who a remind_institution call reached: `reminded` now, `already` earlier that day."""

    reminded: list
    already: list


@transaction.atomic
def remind_institution(*, user, period, institution):
    """E-mail the members of `institution` who may enter values that it still has indicators
    to submit for the open `period`: at most once a day each (the outbox's key), sent as soon
    as the reminders are stored. Refused to anyone but the secretariat, for a closed period, an
    institution with nothing missing, or one with nobody to write to."""
    access.require(user, Right.MANAGE_PERIODS)
    require_open(period=period)
    found = reminders.shortfalls([period], institution=institution)
    if not found:
        raise ValidationError(
            _("%(institution)s has submitted all its indicators for %(period)s.")
            % {"institution": institution.short_name, "period": period.label}
        )
    shortfall = found[0]
    if not shortfall.institution.members:
        raise ValidationError(
            _(
                "Nobody at %(institution)s can be reminded: no active member has an e-mail "
                "address. Ask the framework administrators to add one."
            )
            % {"institution": institution.short_name}
        )
    today = timezone.localdate()
    dues = reminders.by_hand_dues(shortfall, today)
    rows = reminders.record(dues)
    new = {row.email for row in rows}
    emails = [due.email for due in dues]
    transaction.on_commit(
        partial(
            reminders.send_pending,
            pending=Reminder.objects.filter(
                kind=Reminder.Kind.BY_HAND, key=dues[0].key, email__in=emails
            ),
        ),
        # A sending failure is the outbox's to keep and retry; the reminders are stored.
        robust=True,
    )
    return Reminded(
        reminded=[due.recipient for due in dues if due.email in new],
        already=[due.recipient for due in dues if due.email not in new],
    )
