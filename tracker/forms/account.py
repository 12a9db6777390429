"""A user's own e-mail choices: the address, the language of the e-mails, which optional ones
they want (reminders about their institution's reports are not optional)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tracker.models import User


class EmailPreferencesForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["email", "language", "wants_digest", "wants_comment_emails"]
        labels = {
            "email": _("E-mail address"),
            "language": _("Language of the e-mails"),
        }
        help_texts = {
            "email": _("Leave it empty to receive no e-mail from the tracker."),
            "language": _("Reminders, digests and notices are written in this language."),
        }
