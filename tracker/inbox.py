"""What waits for a signed-in user (DESIGN.md §4, the inbox), by role: reports to enter, values
returned for correction, drafts not submitted, values awaiting their validation, institutions
behind schedule, annual reports to publish, comments awaiting their reply.

Shaped from named reads in a fixed number of queries, whatever the number of plans,
institutions, indicators and values. The rights are tracker.access's; the inbox spans every
plan the user may read. Each line links to the page where the work is done, and lines are
ordered by urgency: late first, then by due date."""

import datetime
from dataclasses import dataclass, field

from django.db import connections, router
from django.db.models import IntegerField, Subquery
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from tracker.access import NO_INSTITUTION, NO_ROLE, Right, has_right
from tracker.models import (
    Indicator,
    IndicatorValue,
    Institution,
    Plan,
    ReportingPeriod,
    User,
    ValueComment,
)

Status = IndicatorValue.Status
DueStatus = ReportingPeriod.DueStatus
COMMENT_EXCERPT = 200


@dataclass
class Line:
    """One thing to do: what, where (`url`) and, for a period's work, by when."""

    title: str
    url: str
    plan: Plan
    summary: str = ""
    detail: str = ""
    detail_label: str = ""
    period: ReportingPeriod | None = None
    due_status: str | None = None

    def urgency(self):
        if self.period is None:
            return (True, datetime.date.max)
        return (self.due_status != DueStatus.LATE, self.period.due_on)


@dataclass
class Section:
    """One kind of work: `key` names its anchor, `label` its entry in the summary, `count`
    the things to do (an indicator, a value, an institution, a report, a thread)."""

    key: str
    label: str
    title: str
    count: int
    lines: list = field(default_factory=list)


@dataclass
class Inbox:
    sections: list
    notices: list
    plans: list

    @property
    def waiting(self):
        """The sections with something in them."""
        return [section for section in self.sections if section.count]

    @property
    def badge(self):
        """What the navigation bar counts (see waiting_count): returned values, values to
        validate and comments awaiting a reply."""
        counted = {"returned", "validate", "comments"}
        return sum(section.count for section in self.sections if section.key in counted)

    @property
    def several_plans(self):
        return len(self.plans) > 1


SECTIONS = {
    "enter": (gettext_lazy("To enter"), gettext_lazy("Reports to enter")),
    "returned": (gettext_lazy("Returned"), gettext_lazy("Values returned to you for correction")),
    "drafts": (gettext_lazy("Drafts"), gettext_lazy("Drafts not submitted")),
    "validate": (gettext_lazy("To validate"), gettext_lazy("Values awaiting your validation")),
    "late": (
        gettext_lazy("Institutions late"),
        gettext_lazy("Institutions late with their reports"),
    ),
    "publish": (gettext_lazy("Reports to publish"), gettext_lazy("Annual reports to publish")),
    "comments": (gettext_lazy("Comments"), gettext_lazy("Comments awaiting your reply")),
}


def section(key, lines, count=None):
    label, title = SECTIONS[key]
    lines = sorted(lines, key=Line.urgency)
    return Section(key, label, title, len(lines) if count is None else count, lines)


def inbox_for(user, today):
    """The user's inbox on `today`."""
    if not has_right(user, Right.READ):
        return Inbox(sections=[], notices=[NO_ROLE], plans=[])
    plans = {plan.pk: plan for plan in Plan.objects.all()}
    periods = list(ReportingPeriod.objects.open_by_due_date())
    sections, notices = [], []
    if has_right(user, Right.ENTER):
        if user.institution_id:
            sections += member_sections(user.institution, periods, today)
        elif not has_right(user, Right.ENTER_FOR_ANY_INSTITUTION):
            notices.append(NO_INSTITUTION)
    if has_right(user, Right.VALIDATE):
        sections.append(validation_section(user, periods, today))
    if has_right(user, Right.FOLLOW_COMPLETENESS):
        sections.append(late_institutions_section(periods, today))
    if has_right(user, Right.PUBLISH_REPORTS):
        sections.append(reports_section(plans, today))
    sections.append(comments_section(user))
    return Inbox(sections=sections, notices=notices, plans=list(plans.values()))


def period_line(period, today, url, summary, detail=""):
    return Line(
        title=period.label,
        url=url,
        plan=period.plan,
        summary=summary,
        detail=detail,
        period=period,
        due_status=period.due_status(today),
    )


def member_sections(institution, periods, today):
    """What the member's institution has to enter, correct and submit: in every open period
    that has ended, the indicators due without a value; its returned values and drafts."""
    ended = [period for period in periods if period.end_date < today]
    due = Indicator.objects.due_by_institution(institution)
    counts = IndicatorValue.objects.status_counts_in(ended, institution)
    to_enter, missing_total = [], 0
    for period in ended:
        expected = due.get((institution.pk, period.plan_id, period.frequency.value), 0)
        row = counts.get((institution.pk, period.pk), {})
        missing = expected - sum(row.get(status, 0) for status in Status.values)
        if missing > 0:
            missing_total += missing
            summary = ngettext(
                "%(count)s indicator without a value",
                "%(count)s indicators without a value",
                missing,
            ) % {"count": missing}
            to_enter.append(period_line(period, today, period.get_absolute_url(), summary))
    unfinished = list(IndicatorValue.objects.unfinished_by(institution))
    returned = [value_line(v, today) for v in unfinished if v.status == Status.RETURNED]
    drafts = [value_line(v, today) for v in unfinished if v.status == Status.DRAFT]
    return [
        section("enter", to_enter, count=missing_total),
        section("returned", returned),
        section("drafts", drafts),
    ]


def value_line(value, today):
    """A returned value or a draft: its indicator on the period's entry page (whose card for
    the indicator has the id indicator-<pk>)."""
    period = value.period
    return Line(
        title=f"{value.indicator.code} {value.indicator.name}",
        url=f"{period.get_absolute_url()}#indicator-{value.indicator_id}",
        plan=period.plan,
        summary=period.label,
        detail=value.return_reason,
        detail_label=_("Reason for return") if value.return_reason else "",
        period=period,
        due_status=period.due_status(today),
    )


def validation_section(user, periods, today):
    """Submitted values the user may review, by period, each line opening the queue on it."""
    counts = IndicatorValue.objects.awaiting_validation_by(user).count_by_period()
    lines = []
    for period in periods:
        count = counts.get(period.pk)
        if count:
            url = reverse("validation-queue", kwargs={"slug": period.plan.slug})
            summary = ngettext(
                "%(count)s value to validate", "%(count)s values to validate", count
            ) % {"count": count}
            lines.append(period_line(period, today, f"{url}?period={period.pk}", summary))
    return section("validate", lines, count=sum(counts.values()))


def late_institutions_section(periods, today):
    """In every open period past its due date, the institutions that have not reported (a
    submitted or validated value) every indicator they are responsible for."""
    late = [period for period in periods if period.due_status(today) == DueStatus.LATE]
    due = Indicator.objects.due_by_institution() if late else {}
    counts = IndicatorValue.objects.status_counts_in(late) if late else {}
    behind = {}
    for period in late:
        for (institution_id, plan_id, frequency), expected in due.items():
            if plan_id != period.plan_id or frequency != period.frequency.value:
                continue
            row = counts.get((institution_id, period.pk), {})
            if row.get(Status.SUBMITTED, 0) + row.get(Status.VALIDATED, 0) < expected:
                behind.setdefault(period, []).append(institution_id)
    names = (
        {
            institution.pk: institution.short_name
            for institution in Institution.objects.filter(
                pk__in={pk for ids in behind.values() for pk in ids}
            )
        }
        if behind
        else {}
    )
    lines = []
    for period, institution_ids in behind.items():
        url = reverse("completeness", kwargs={"slug": period.plan.slug})
        summary = ngettext(
            "%(count)s institution has not reported everything",
            "%(count)s institutions have not reported everything",
            len(institution_ids),
        ) % {"count": len(institution_ids)}
        detail = ", ".join(sorted(names[pk] for pk in institution_ids))
        lines.append(period_line(period, today, f"{url}?year={period.year}", summary, detail))
    return section("late", lines, count=len({pk for ids in behind.values() for pk in ids}))


def reports_section(plans, today):
    """Years over, with validated figures, whose annual report is not published yet."""
    lines = []
    for plan_id, year in IndicatorValue.objects.years_to_publish(today.year):
        plan = plans[plan_id]
        lines.append(
            Line(
                title=_("Annual report %(year)s") % {"year": year},
                url=reverse("annual-report", kwargs={"slug": plan.slug, "year": year}),
                plan=plan,
                summary=_("The year is over and its report is not published yet."),
            )
        )
    return section("publish", lines)


def value_url(value):
    """The value's own page, with its comment thread."""
    slug = value.period.plan.slug
    try:
        return reverse("value-detail", kwargs={"slug": slug, "pk": value.pk})
    except NoReverseMatch:
        return f"/plans/{slug}/values/{value.pk}/"


def comments_section(user):
    comments = ValueComment.objects.awaiting_reply_from(
        user, reviewer=has_right(user, Right.VALIDATE)
    )
    lines = []
    for comment in comments:
        value = comment.value
        author = comment.author
        lines.append(
            Line(
                title=f"{value.indicator.code} {value.period.label}",
                url=value_url(value),
                plan=value.period.plan,
                summary=_("%(author)s wrote on %(date)s")
                % {
                    "author": (author.get_full_name() or author.username) if author else "?",
                    "date": date_format(
                        timezone.localtime(comment.created_at), "SHORT_DATETIME_FORMAT"
                    ),
                },
                detail=Truncator(comment.text).chars(COMMENT_EXCERPT),
            )
        )
    # Oldest first (the read's order): the one waiting longest.
    return section("comments", lines)


class Counted(Subquery):
    """COUNT(*) of a QuerySet as a scalar subquery, so that several counts make one query."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) counted)"
    output_field = IntegerField()


# The badge reads "99+" past this many: counting on would read every waiting value of every
# plan on every page (thousands for a secretariat serving many plans); the inbox lists them all.
BADGE_LIMIT = 99


def waiting_count(user):
    """How many returned values, values to validate and comments await `user`, up to
    BADGE_LIMIT + 1: the number on the navigation bar's inbox link (one query; none without a
    role). The same reads as the inbox's sections of the same names."""
    if not has_right(user, Right.READ):
        return 0
    shape = (
        has_right(user, Right.VALIDATE),
        bool(user.institution_id),
        has_right(user, Right.ENTER),
    )
    compiled = _compiled_counts(shape)
    if compiled is None:
        total = sum(_counts(user, *shape).get())
    else:
        database, sql, params = compiled
        ids = {STAND_IN_ID: user.pk, STAND_IN_INSTITUTION_ID: user.institution_id}
        with connections[database].cursor() as cursor:
            cursor.execute(sql, [ids.get(p, p) if type(p) is int else p for p in params])
            total = sum(cursor.fetchone() or ())  # no row: the account was just deleted
    return min(total, BADGE_LIMIT + 1)


def _counts(user, reviewer, has_institution, enters):
    """The badge's query for `user`: its three counts as the columns of one row."""
    waiting = [ValueComment.objects.awaiting_reply_from(user, reviewer=reviewer)]
    if has_institution and enters:
        unfinished = IndicatorValue.objects.unfinished_by(user.institution_id)
        waiting.append(unfinished.filter(status=Status.RETURNED))
    if reviewer:
        waiting.append(IndicatorValue.objects.awaiting_validation_by(user))
    counts = {
        f"waiting_{n}": Counted(qs.order_by().values("pk")[: BADGE_LIMIT + 1])
        for n, qs in enumerate(waiting)
    }
    return User.objects.filter(pk=user.pk).annotate(**counts).values_list(*counts)


# Building the badge's query took Django twice as long as running it, on every page. It is
# built once per process for each shape of account (its rights, whether it has an institution)
# for a stand-in whose ids no account has; each page then runs that SQL with its own ids in
# their place. Only when the stand-in's ids are found as parameters, and nowhere in the SQL
# itself, is the SQL kept; otherwise the query is built each time.
STAND_IN_ID, STAND_IN_INSTITUTION_ID = -1325001, -1325002
_COMPILED = {}


def _compiled_counts(shape):
    """(database, SQL, parameters) of the badge's query for accounts of `shape` (reviewer,
    has an institution, enters values), or None."""
    database = router.db_for_read(User)
    key = (database, connections[database].vendor, *shape, BADGE_LIMIT)
    if key not in _COMPILED:
        has_institution = shape[1]
        stand_in = User(
            pk=STAND_IN_ID, institution_id=STAND_IN_INSTITUTION_ID if has_institution else None
        )
        sql, params = _counts(stand_in, *shape).query.get_compiler(using=database).as_sql()
        stand_in_ids = {stand_in.pk, stand_in.institution_id} - {None}
        found = {p for p in params if type(p) is int}
        kept = stand_in_ids <= found and not any(str(abs(i)) in sql for i in stand_in_ids)
        _COMPILED[key] = (database, sql, tuple(params)) if kept else None
    return _COMPILED[key]
