"""The talk about one value between the member who entered it and the secretariat that reviews
it (DESIGN.md §2): a thread of comments, kept with its history, never edited or deleted."""

from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from . import limits
from .accounts import person_field
from .values import IndicatorValue


class ValueCommentQuerySet(models.QuerySet):
    def latest_of_each_thread(self):
        """The last comment written on each value."""
        latest = (
            ValueComment.objects.filter(value=OuterRef("value"))
            .order_by("-created_at", "-pk")
            .values("pk")[:1]
        )
        return self.filter(pk=Subquery(latest))

    def awaiting_reply_from(self, user, *, reviewer=False):
        """The last comment of each thread `user` has a part in, where someone else spoke
        last, oldest first, with its author and its value's indicator and plan (one query).

        A user has a part in the thread of a value their institution reports, a value they
        entered, submitted or validated, a thread they wrote in, and, for a `reviewer` (who
        may validate), a value awaiting validation."""
        part = (
            Q(entered_by=user)
            | Q(submitted_by=user)
            | Q(validated_by=user)
            | Q(comments__author=user)
        )
        if user.institution_id:
            part |= Q(indicator__responsible_institutions=user.institution_id)
        if reviewer:
            part |= Q(status=IndicatorValue.Status.SUBMITTED)
        return (
            self.latest_of_each_thread()
            .exclude(author=user)
            .filter(value__in=IndicatorValue.objects.filter(part).values("pk"))
            .select_related("author", "value__indicator", "value__period__plan")
            .order_by("created_at", "pk")
        )


class ValueComment(models.Model):
    value = models.ForeignKey(
        IndicatorValue,
        on_delete=models.PROTECT,
        related_name="comments",
        verbose_name=_("indicator value"),
    )
    author = person_field(_("author"))
    text = models.TextField(_("comment"), max_length=limits.COMMENT)
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = ValueCommentQuerySet.as_manager()

    class Meta:
        ordering = ["value", "created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        constraints = [
            *limits.length_constraints("value_comment", {"text": limits.COMMENT}),
            models.CheckConstraint(
                condition=~models.Q(text=""), name="value_comment_says_something"
            ),
        ]

    def __str__(self):
        return f"{self.value}: {self.text[:60]}"
