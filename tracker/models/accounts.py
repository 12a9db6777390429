from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tracker import roles

from .framework import Institution


class User(AbstractUser):
    """A person who signs in. Committee members belong to the institution they speak for;
    secretariat and reporting staff may have none (DESIGN.md §1)."""

    institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("institution"),
    )
    history = HistoricalRecords()

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        swappable = "AUTH_USER_MODEL"

    def in_role(self, group_name):
        # Group names are fetched once per request and cached on the instance.
        if not hasattr(self, "_role_names"):
            self._role_names = set(self.groups.values_list("name", flat=True))
        return group_name in self._role_names

    @property
    def is_committee_member(self):
        return self.in_role(roles.COMMITTEE_MEMBER)

    @property
    def is_secretariat(self):
        return self.is_superuser or self.in_role(roles.SECRETARIAT)

    @property
    def is_reporting_staff(self):
        return self.in_role(roles.REPORTING_STAFF)
