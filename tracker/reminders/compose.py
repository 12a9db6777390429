"""What a reminder says, in its recipient's language: a short plain-text e-mail in the
committee's words, with the absolute link to the exact page (templates/tracker/email/)."""

import re

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import ngettext

from tracker.models import Reminder

from . import calendar

Kind = Reminder.Kind


def absolute(path):
    """A path of the site as a link that opens from a mailbox (settings.TRACKER_SITE_URL)."""
    return settings.TRACKER_SITE_URL + path


def display_name(user):
    return user.get_full_name() or user.username


def _period_context(due):
    shortfall, period = due.shortfall, due.period
    days_left = calendar.days_between(due.today, period.due_on)
    if due.kind == Kind.ESCALATION:
        link = absolute(reverse("completeness", args=[period.plan.slug]) + f"?year={period.year}")
    else:
        link = absolute(period.get_absolute_url())
    return {
        "kind": due.kind,
        "institution": due.institution.name,
        "acronym": due.institution.short_name,
        "period": period.label,
        "plan": str(period.plan),
        "due": shortfall.due,
        "missing": shortfall.missing,
        "due_on": period.due_on,
        "days_left": days_left,
        "days_late": -days_left,
        "link": link,
    }


def _digest_context(due):
    plans = []
    for period in due.awaiting:
        if not plans or plans[-1]["plan"] != str(period.plan):
            plans.append({"plan": str(period.plan), "periods": []})
        queue = reverse("validation-queue", args=[period.plan.slug]) + f"?period={period.pk}"
        plans[-1]["periods"].append(
            {"period": period.label, "awaiting": period.awaiting, "link": absolute(queue)}
        )
    return {
        "plans": plans,
        "total": sum(period.awaiting for period in due.awaiting),
        "week": calendar.week_key(due.today),
    }


def _subject(due, context):
    date = date_format(context["due_on"]) if "due_on" in context else ""
    if due.kind == Kind.DIGEST:
        count = context["total"]
        text = ngettext(
            "%(count)s value awaits validation (week %(week)s)",
            "%(count)s values await validation (week %(week)s)",
            count,
        )
        return text % {"count": count, "week": context["week"]}
    count = context["missing"]
    text = {
        Kind.DUE_SOON: ngettext(
            "%(period)s: %(count)s indicator to submit by %(date)s",
            "%(period)s: %(count)s indicators to submit by %(date)s",
            count,
        ),
        Kind.OVERDUE: ngettext(
            "%(period)s: %(count)s indicator not submitted, due on %(date)s",
            "%(period)s: %(count)s indicators not submitted, due on %(date)s",
            count,
        ),
        Kind.BY_HAND: ngettext(
            "The secretariat reminds you: %(count)s indicator to submit for %(period)s",
            "The secretariat reminds you: %(count)s indicators to submit for %(period)s",
            count,
        ),
        Kind.ESCALATION: ngettext(
            "%(acronym)s: %(count)s indicator late for %(period)s",
            "%(acronym)s: %(count)s indicators late for %(period)s",
            count,
        ),
    }[due.kind]
    return text % {**context, "count": count, "date": date}


TEMPLATES = {
    Kind.DUE_SOON: "tracker/email/period.txt",
    Kind.OVERDUE: "tracker/email/period.txt",
    Kind.BY_HAND: "tracker/email/period.txt",
    Kind.ESCALATION: "tracker/email/escalation.txt",
    Kind.DIGEST: "tracker/email/digest.txt",
}


def compose(due):
    """(subject, body) of the Due `due`, written in its language."""
    with translation.override(due.language):
        context = _digest_context(due) if due.kind == Kind.DIGEST else _period_context(due)
        context["name"] = display_name(due.recipient) if due.recipient else ""
        if due.recipient:
            context["account_link"] = absolute(reverse("account-email"))
        subject = _subject(due, context)
        body = render_to_string(TEMPLATES[due.kind], context)
    # A subject is one line, whatever a name or a translation holds; the templates' tags
    # leave blank lines behind, of which one between paragraphs is kept.
    return " ".join(subject.split())[:255], re.sub(r"\n{3,}", "\n\n", body).strip() + "\n"
