"""The thread of comments on a value, between the members who report it and the secretariat
that reviews it (issue 14), and the e-mails each comment owes the others in it.

A comment is never edited or deleted (its history is kept). A comment is talk, not a figure:
it may be written on a value of a closed period, where the talk is often what leads the
secretariat to reopen the period. The e-mails are rows of the outbox (Reminder), written in
each recipient's language; tracker.reminders sends them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from tracker import access
from tracker.models import IndicatorValue, Reminder, User, ValueComment, limits

from .values import reopen_value, return_for_correction

DEFAULT_SITE_URL = "http://127.0.0.1:8000"


@transaction.atomic
def add_comment(*, user, value, text):
    """`user` (the secretariat, or a member whose institution reports the indicator) writes
    `text` in the value's thread; the others in the thread who want it get an e-mail."""
    access.require_discuss(user, value.indicator)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the comment before posting it.")})
    limits.check_lengths(ValueComment, {"text": text})
    comment = ValueComment(value=value, author=user, text=text)
    comment._history_user = user
    comment.save()
    _notify(comment)
    return comment


@transaction.atomic
def return_with_comment(*, user, record, reason, seen_version):
    """Returns a submitted value for correction (return_for_correction) and opens the thread
    with the reason, so the member is told by the inbox and by e-mail and can answer there."""
    record = return_for_correction(
        user=user, record=record, reason=reason, seen_version=seen_version
    )
    add_comment(
        user=user,
        value=record,
        text=_("Returned for correction: %(reason)s") % {"reason": record.return_reason},
    )
    return record


@transaction.atomic
def reopen_with_comment(*, user, record, reason, seen_version):
    """Reopens a validated value for correction (reopen_value), the reason posted in its
    thread as for a return."""
    record = reopen_value(user=user, record=record, reason=reason, seen_version=seen_version)
    add_comment(
        user=user,
        value=record,
        text=_("Reopened for correction: %(reason)s") % {"reason": record.return_reason},
    )
    return record


def _participants(value):
    """Who takes part in the value's review: who entered and submitted it, who validated or
    returned any of its versions, who wrote in its thread (one query)."""
    reviewers = value.history.filter(
        status__in=[IndicatorValue.Status.VALIDATED, IndicatorValue.Status.RETURNED]
    ).values("history_user")
    return User.objects.filter(
        Q(pk__in=[value.entered_by_id, value.submitted_by_id, value.validated_by_id])
        | Q(pk__in=reviewers)
        | Q(pk__in=value.comments.values("author"))
    ).order_by("pk")


def _notify(comment):
    """An e-mail in the outbox for each other participant who wants comments by e-mail, has
    an address and may still read the value; once per comment and address."""
    value = comment.value
    for person in _participants(value).exclude(pk=comment.author_id):
        if not (person.is_active and person.wants_comment_emails and person.email):
            continue
        if not access.may_discuss(person, value.indicator):
            continue
        with translation.override(person.language):
            subject, body = _notice(comment)
        Reminder.objects.get_or_create(
            kind=Reminder.Kind.COMMENT,
            email=person.email,
            key=f"comment-{comment.pk}",
            defaults={
                "recipient": person,
                "language": person.language,
                "period": value.period,
                "subject": subject,
                "body": body,
            },
        )


def _notice(comment):
    """The e-mail's subject and body, in the active language (the recipient's)."""
    value, author = comment.value, comment.author
    site = getattr(settings, "TRACKER_SITE_URL", DEFAULT_SITE_URL).rstrip("/")
    names = {
        "author": author.get_full_name() or author.username,
        "code": value.indicator.code,
        "indicator": value.indicator.name,
        "period": value.period.label,
    }
    subject = _("New comment on %(code)s, %(period)s") % names
    body = "\n\n".join(
        [
            _("%(author)s commented on %(code)s %(indicator)s, %(period)s:") % names,
            comment.text,
            _("Read the thread and answer on the value's page:")
            + "\n"
            + site
            + reverse("value-detail", args=[value.period.plan.slug, value.pk]),
            _(
                "You receive this e-mail because you entered, submitted, reviewed or "
                "discussed this value."
            ),
        ]
    )
    return subject, body
