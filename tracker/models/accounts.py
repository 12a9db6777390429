from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .reference import Institution


class User(AbstractUser):
    """A person who signs in. Committee members belong to the institution they speak for;
    secretariat and reporting staff may have none (DESIGN.md §1). What a user may do is
    decided by tracker/access.py from the permissions of their roles."""

    institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("institution"),
    )
    # What the e-mails the tracker sends are written in, and which of them the user wants.
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="fr"
    )
    wants_digest = models.BooleanField(
        _("weekly digest by e-mail"),
        default=True,
        help_text=_("The secretariat's weekly list of what awaits validation."),
    )
    wants_comment_emails = models.BooleanField(
        _("comments by e-mail"),
        default=True,
        help_text=_("An e-mail when someone comments on a value you entered or review."),
    )
    history = HistoricalRecords()

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        swappable = "AUTH_USER_MODEL"


def person_field(verbose_name):
    """Who did something to a record: kept even if the account is later deactivated."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=verbose_name,
    )
