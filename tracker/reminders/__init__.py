"""Reminders and escalation by e-mail (DESIGN.md §4, issue 14).

`manage.py send_reminders` (meant for cron or a systemd timer, once a day) decides what is due
that day, then sends every pending e-mail:

- DUE_SOON: from seven days before an open period's due date, to each active member with an
  e-mail address of an institution that has not submitted all its indicators for the period;
- OVERDUE: after the due date, to the same people, while indicators are still missing;
- ESCALATION: a week after the due date, to the institution's contact address (in French);
- DIGEST: once a week, to the secretariat who want it, what awaits validation, by plan and
  period;
- BY_HAND: the "remind" button of the completeness page (tracker.services.remind_institution);
- COMMENT notices are decided elsewhere and sent here like the others.

Each reminder is a row of the outbox (tracker.models.Reminder) before it is a message, written
in its recipient's language with the link to the exact page; the unique kind, address and key
make every run idempotent. calendar.py says when, reads.py reads who and what, decide.py
decides, compose.py writes, outbox.py records and sends."""

from .decide import by_hand_dues, decide
from .outbox import record, send_pending
from .reads import shortfalls

__all__ = ["by_hand_dues", "decide", "record", "send_pending", "shortfalls"]
