"""What the reminders are decided from, read in a fixed number of queries whatever the number
of plans, periods, institutions and people: the named reads of the models, put together.

The people are read here rather than on the User model's QuerySet: User keeps Django's own
manager, which its migrations record (a manager of our own would be a schema change)."""

from dataclasses import dataclass

from django.contrib.auth.models import Permission
from django.db.models import Q

from tracker.access import Right
from tracker.models import Indicator, IndicatorValue, Institution, ReportingPeriod, User


def people_with_right(right):
    """Active users with an e-mail address who hold `right` through a role or a permission of
    their own (a QuerySet; no query until read). Superusers are not counted in: the e-mails
    are for the people whose work it is."""
    app_label, codename = right.value.split(".")
    granted = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    return (
        User.objects.filter(is_active=True)
        .exclude(email="")
        .filter(Q(groups__permissions__in=granted) | Q(user_permissions__in=granted))
        .distinct()
    )


def digest_recipients():
    """The secretariat (who validate) who want the weekly digest (one query)."""
    return list(
        people_with_right(Right.VALIDATE)
        .filter(wants_digest=True)
        .order_by("last_name", "first_name", "username")
    )


@dataclass
class Shortfall:
    """An institution that has not reported all the indicators due from it in a period."""

    period: ReportingPeriod
    institution: Institution
    due: int
    missing: int

    @property
    def reported(self):
        return self.due - self.missing


def shortfalls_in(periods, due, reported):
    """(period, institution id, due, missing) for each institution that owes `periods` more
    than it has reported: `due` as Indicator.objects.due_by_institution gives it, `reported`
    as IndicatorValue.objects.reported_by_institution does. The completeness page's
    arithmetic: missing = due - submitted or validated."""
    rows = []
    for period in periods:
        for (institution_id, plan_id, frequency), count in sorted(due.items()):
            if plan_id != period.plan_id or frequency != period.frequency:
                continue
            missing = count - reported.get((institution_id, period.pk), 0)
            if missing > 0:
                rows.append((period, institution_id, count, missing))
    return rows


def shortfalls(periods, *, institution=None):
    """The Shortfalls of `periods` (of `institution` only, if given), each institution with
    its `members` (active, with an e-mail address, who may enter values) and its contact
    address: four queries at most, none without periods."""
    if not periods:
        return []
    due = Indicator.objects.due_by_institution(plans={period.plan_id for period in periods})
    if institution is not None:
        due = {key: n for key, n in due.items() if key[0] == institution.pk}
    rows = shortfalls_in(periods, due, IndicatorValue.objects.reported_by_institution(periods))
    institutions = Institution.objects.filter(pk__in={row[1] for row in rows}).with_members(
        people_with_right(Right.ENTER)
    )
    by_id = {one.pk: one for one in institutions}
    return [
        Shortfall(period=period, institution=by_id[institution_id], due=count, missing=missing)
        for period, institution_id, count, missing in rows
    ]
