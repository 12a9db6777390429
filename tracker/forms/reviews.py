"""The forms of a value's review page (issue 14): a comment, and the secretariat's decisions
(validate, return, reopen for correction), each carrying the version the reader saw."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tracker.models import limits


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Your comment"),
        max_length=limits.COMMENT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write the comment before posting it.")},
    )


class DecisionForm(forms.Form):
    """Validate or return a submitted value, or reopen a validated one: what the secretariat
    decided on, the version it saw, and the reason (required to return or reopen; the
    service says so)."""

    VALIDATE, RETURN, REOPEN = "validate", "return", "reopen"

    action = forms.ChoiceField(
        choices=[(VALIDATE, VALIDATE), (RETURN, RETURN), (REOPEN, REOPEN)],
        widget=forms.HiddenInput,
    )
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Why? The institution reads this with the value."),
        required=False,
        max_length=limits.REASON,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
