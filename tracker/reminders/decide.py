"""Which reminders are due on a given day: pure functions from what tracker/reminders/reads.py
gives (the periods, the institutions behind, the people) to Due records, and decide(), which
reads, decides and records them in the outbox (tracker/reminders/outbox.py)."""

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings

from tracker.models import Institution, Reminder, ReportingPeriod, User

from . import calendar, reads
from .outbox import record

Kind = Reminder.Kind
# An institution's contact address is not a user with a language: Mali's official language.
CONTACT_LANGUAGE = "fr"


@dataclass
class Due:
    """A reminder decided but not yet written: to whom, about what, and its key."""

    kind: str
    email: str
    language: str
    key: str
    today: date
    recipient: User | None = None
    institution: Institution | None = None
    period: ReportingPeriod | None = None
    shortfall: reads.Shortfall | None = None
    # The digest: the periods with values awaiting validation (each with `awaiting`).
    awaiting: list = field(default_factory=list)

    @property
    def identity(self):
        """What the outbox's unique constraint compares: kind, address, key."""
        return (self.kind, self.email, self.key)


def language_of(user):
    return user.language if user.language in dict(settings.LANGUAGES) else CONTACT_LANGUAGE


def member_dues(shortfall, kind, key, today):
    """One reminder of `kind` to each member of the institution behind in the period."""
    return [
        Due(
            kind=kind,
            email=member.email,
            language=language_of(member),
            key=key,
            today=today,
            recipient=member,
            institution=shortfall.institution,
            period=shortfall.period,
            shortfall=shortfall,
        )
        for member in shortfall.institution.members
    ]


def period_dues(shortfalls, today):
    """The DUE_SOON, OVERDUE and ESCALATION reminders the `shortfalls` call for on `today`
    (calendar.period_kinds): the first two to the institution's members, the escalation to
    its contact address, if it has one."""
    dues = []
    for shortfall in shortfalls:
        period = shortfall.period
        for kind in calendar.period_kinds(period.due_on, today):
            if kind != Kind.ESCALATION:
                dues += member_dues(shortfall, kind, calendar.period_key(period), today)
            elif shortfall.institution.contact_email:
                dues.append(
                    Due(
                        kind=kind,
                        email=shortfall.institution.contact_email,
                        language=CONTACT_LANGUAGE,
                        key=calendar.escalation_key(period, shortfall.institution),
                        today=today,
                        institution=shortfall.institution,
                        period=period,
                        shortfall=shortfall,
                    )
                )
    return dues


def by_hand_dues(shortfall, today):
    """The reminders the secretariat sends from the completeness grid: to the members of the
    institution behind, once a day."""
    key = calendar.by_hand_key(shortfall.period, today)
    return member_dues(shortfall, Kind.BY_HAND, key, today)


def digest_dues(recipients, awaiting, today):
    """The weekly digest to each of `recipients`, when values await validation in the
    `awaiting` periods; nothing when the queue is empty."""
    if not awaiting:
        return []
    return [
        Due(
            kind=Kind.DIGEST,
            email=user.email,
            language=language_of(user),
            key=calendar.week_key(today),
            today=today,
            recipient=user,
            awaiting=awaiting,
        )
        for user in recipients
    ]


def decide(today, *, write=True):
    """Every reminder due on `today` that has not been decided before, written to the outbox
    with its subject and body (or only listed, when `write` is false). Returns the Reminder
    rows, in a fixed number of queries whatever the number of periods and people."""
    periods = list(ReportingPeriod.objects.to_remind(today, calendar.DAYS_BEFORE))
    dues = period_dues(reads.shortfalls(periods), today)
    awaiting = list(ReportingPeriod.objects.with_values_awaiting_validation())
    if awaiting:
        dues += digest_dues(reads.digest_recipients(), awaiting, today)
    return record(dues, write=write)
