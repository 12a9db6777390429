"""E-mails the tracker owes people (DESIGN.md §4): reminders before a due date, after it to the
members and their institution, the secretariat's weekly digest, the reminders the secretariat
sends from the completeness grid, and comment notices.

Each is a row before it is a message (an outbox): the unique key makes "nobody is reminded
twice for the same thing" a database rule, and a message that fails to send stays pending,
with its error, until a later run sends it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .periods import ReportingPeriod
from .reference import Institution


class ReminderQuerySet(models.QuerySet):
    def pending(self):
        """Waiting to be sent, oldest first: what the next run sends (one query)."""
        return self.filter(status=Reminder.Status.PENDING).order_by("created_at", "pk")

    def already_decided(self, triples):
        """Which of the (kind, email, key) `triples` have a row already, as a set of triples:
        what must not be decided twice (one query)."""
        triples = set(triples)
        if not triples:
            return set()
        rows = self.filter(
            kind__in={kind for kind, _email, _key in triples},
            key__in={key for _kind, _email, key in triples},
        ).values_list("kind", "email", "key")
        return set(rows) & triples


class Reminder(models.Model):
    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("Due soon")
        OVERDUE = "overdue", _("Overdue")
        ESCALATION = "escalation", _("Overdue, to the institution")
        DIGEST = "digest", _("Weekly digest")
        BY_HAND = "by_hand", _("Sent from the completeness grid")
        COMMENT = "comment", _("New comment")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # A user, or an institution's contact address (escalation): the e-mail and the language
    # are kept as they were when the reminder was decided.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reminders",
        verbose_name=_("recipient"),
    )
    institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reminders",
        verbose_name=_("institution"),
    )
    email = models.EmailField(_("e-mail"))
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    period = models.ForeignKey(
        ReportingPeriod,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reminders",
        verbose_name=_("period"),
    )
    # What makes it "the same thing" for this kind and address: the period (2021-Q3), the
    # week of a digest (2026-W47), the period and day of a reminder sent by hand, the
    # comment a notice is about.
    key = models.CharField(_("key"), max_length=40)
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("message"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("decided at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    objects = ReminderQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("e-mail reminder")
        verbose_name_plural = _("e-mail reminders")
        constraints = [
            models.UniqueConstraint(fields=["kind", "email", "key"], name="reminder_once"),
            models.CheckConstraint(
                condition=models.Q(status="pending") | models.Q(sent_at__isnull=False),
                name="reminder_sent_has_date",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="reminder_outbox_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.email}"
