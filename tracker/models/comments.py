"""The talk about one value between the member who entered it and the secretariat that reviews
it (DESIGN.md §2): a thread of comments, kept with its history, never edited or deleted."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from . import limits
from .accounts import person_field
from .values import IndicatorValue


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
