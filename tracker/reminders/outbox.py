"""The outbox (tracker.models.Reminder): reminders written once, then sent until they go.

record() turns decided reminders into rows, skipping what was decided before (the unique
kind, address and key: nobody is reminded twice for the same thing). send_pending() sends
every pending row, of any kind, through Django's mail framework on one connection; a row that
fails keeps its error, counts the attempt and stays pending for the next run, with a warning
in the log (logger tracker.reminders), and an error at every run once it has failed
REMINDER_MAX_ATTEMPTS times. Nothing is dropped."""

import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from tracker.models import Reminder

from .compose import compose

logger = logging.getLogger("tracker.reminders")
# What a mail server or the network may answer; anything else is a bug and is raised.
SENDING_ERRORS = (smtplib.SMTPException, OSError, ValueError)


def record(dues, *, write=True):
    """Reminder rows for the `dues` not decided before (one per kind, address and key), each
    with its subject and body in its language; stored when `write` is true (two queries),
    otherwise returned unsaved."""
    decided = Reminder.objects.already_decided(due.identity for due in dues)
    rows = []
    for due in dues:
        if due.identity in decided:
            continue
        decided.add(due.identity)
        subject, body = compose(due)
        rows.append(
            Reminder(
                kind=due.kind,
                recipient=due.recipient,
                institution=due.institution,
                email=due.email,
                language=due.language,
                period=due.period,
                key=due.key,
                subject=subject,
                body=body,
            )
        )
    if write and rows:
        # A run at the same moment may have written the same row: the constraint decides.
        Reminder.objects.bulk_create(rows, ignore_conflicts=True)
    return rows


def send_pending(*, pending=None):
    """Send the pending reminders (`pending`: a Reminder QuerySet to choose among them; all by
    default) on one connection. Returns (sent, failed) counts."""
    pending = Reminder.objects.pending() if pending is None else pending.pending()
    ids = list(pending.values_list("pk", flat=True))
    if not ids:
        return 0, 0
    connection = get_connection(fail_silently=False)
    try:
        connection.open()
    except SENDING_ERRORS as error:
        # No server to talk to: every reminder waits for the next run, none is tried.
        _failed(Reminder.objects.filter(pk__in=ids), error)
        return 0, len(ids)
    try:
        outcomes = [_send_one(pk, connection) for pk in ids]
    finally:
        _close_quietly(connection)
    return outcomes.count(True), outcomes.count(False)


def _send_one(pk, connection):
    """Send one reminder: True once sent, False if it failed, None if another run has it in
    hand or sent it already."""
    with transaction.atomic():
        reminder = (
            Reminder.objects.select_for_update(skip_locked=True)
            .filter(pk=pk, status=Reminder.Status.PENDING)
            .first()
        )
        if reminder is None:
            return None
        message = EmailMessage(
            subject=reminder.subject,
            body=reminder.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[reminder.email],
            connection=connection,
        )
        try:
            message.send()
        except SENDING_ERRORS as error:
            _failed(Reminder.objects.filter(pk=pk), error)
            # The connection may be broken: the next message opens a new one.
            _close_quietly(connection)
            return False
        Reminder.objects.filter(pk=pk).update(
            status=Reminder.Status.SENT, sent_at=timezone.now(), last_error=""
        )
        return True


def _failed(reminders, error):
    """Count the attempt, keep the error, say so in the log; the rows stay pending."""
    text = f"{type(error).__name__}: {error}"[:2000]
    reminders.update(attempts=F("attempts") + 1, last_error=text)
    limit = settings.REMINDER_MAX_ATTEMPTS
    for reminder in reminders.only("pk", "kind", "email", "key", "attempts"):
        level = logging.ERROR if reminder.attempts >= limit else logging.WARNING
        logger.log(
            level,
            "Reminder %s (%s to %s, %s) not sent after %s attempt(s), kept for the next run: %s",
            reminder.pk,
            reminder.kind,
            reminder.email,
            reminder.key,
            reminder.attempts,
            text,
        )


def _close_quietly(connection):
    try:
        connection.close()
    except SENDING_ERRORS:
        # The server went away mid-conversation: forget it, the next message reconnects.
        connection.connection = None
