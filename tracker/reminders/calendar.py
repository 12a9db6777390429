"""When each reminder is due, and what makes two reminders "the same thing" (their key). Pure
functions of dates and periods: no query, no clock (the day is always given)."""

from tracker.models import Reminder

Kind = Reminder.Kind

# Members are reminded from this many days before a period's due date (the due day included)...
DAYS_BEFORE = 7
# ...and their institution's contact address once its reports are this many days late.
ESCALATION_AFTER = 7


def period_kinds(due_on, today):
    """The reminders a period due on `due_on` calls for on `today`, for an institution that
    has not reported all its indicators: DUE_SOON in the seven days up to the due date,
    OVERDUE from the day after, ESCALATION from a week after. Each is sent once (its key), so
    a late run still sends what an earlier day called for."""
    days_left = (due_on - today).days
    if 0 <= days_left <= DAYS_BEFORE:
        return [Kind.DUE_SOON]
    if days_left >= 0:
        return []
    if -days_left >= ESCALATION_AFTER:
        return [Kind.OVERDUE, Kind.ESCALATION]
    return [Kind.OVERDUE]


def period_key(period):
    """A period's reminders: once per period (its id, since plans may share a year)."""
    return f"p{period.pk}:{period.key}"


def escalation_key(period, institution):
    """Escalations: once per period and institution (two may share a contact address)."""
    return f"{period_key(period)}/i{institution.pk}"


def by_hand_key(period, today):
    """Reminders sent from the completeness grid: at most once a day per period."""
    return f"{period_key(period)}@{today.isoformat()}"


def week_key(today):
    """The weekly digest: once per ISO week (2026-W47)."""
    year, week, _day = today.isocalendar()
    return f"{year}-W{week:02d}"


def days_between(today, due_on):
    """Days left before `due_on` (negative once it has passed)."""
    return (due_on - today).days
