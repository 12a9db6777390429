"""What the REST API and the exchange exports need beyond the domain (issue 16): personal API
tokens, and how a plan's figures are named in the systems it feeds (DHIS2, ADX, IATI).

A token is shown once to its owner and stored only as its SHA-256 digest, with a short prefix
the owner recognises it by; it expires, and its owner may revoke it. It gives exactly the
rights of its owner: the API asks the same door as the pages (tracker/access.py)."""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .framework import Plan
from .reference import DimensionValue

TOKEN_START = "nap_"
PREFIX_LENGTH = len(TOKEN_START) + 8
# How long a token may live, in days, and how many a user may hold at once: a leaked token is
# worth less the sooner it ends, and a page of tokens nobody remembers is a risk.
TOKEN_LIFETIMES = (30, 90, 365)
TOKENS_PER_USER = 20


def token_digest(secret):
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def usable(self, now=None):
        """Tokens that still open the API: neither revoked nor expired."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=now or timezone.now())

    def of_user(self, user):
        """The user's tokens for their account page, newest first (one query)."""
        return self.filter(user=user).order_by("-created_at", "-pk")


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(
        _("name"), max_length=100, help_text=_("What the token is for, such as “DHIS2 sync”.")
    )
    prefix = models.CharField(_("prefix"), max_length=PREFIX_LENGTH)
    digest = models.CharField(_("digest"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    # Creation and revocation are kept; each use only moves last_used_at (an update(), so
    # that a script polling every minute does not fill the history).
    history = HistoricalRecords(excluded_fields=["last_used_at"])

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["user", "-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("created_at")), name="api_token_expires_after"
            ),
            models.CheckConstraint(condition=~Q(name=""), name="api_token_has_name"),
        ]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, *, user, name, days):
        """A new token for `user`, valid `days` days: (the stored token, the secret to show
        once). Only the digest of the secret is kept."""
        secret = TOKEN_START + secrets.token_urlsafe(32)
        now = timezone.now()
        token = cls(
            user=user,
            name=name,
            prefix=secret[:PREFIX_LENGTH],
            digest=token_digest(secret),
            expires_at=now + datetime.timedelta(days=days),
        )
        token._history_user = user
        token.save()
        return token, secret

    @classmethod
    def find(cls, secret):
        """The usable token whose secret this is, with its user, or None."""
        return (
            cls.objects.usable()
            .select_related("user__institution")
            .filter(digest=token_digest(secret))
            .first()
        )

    def revoke(self, *, by):
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self._history_user = by
            self.save(update_fields=["revoked_at"])

    @property
    def is_usable(self):
        return self.revoked_at is None and self.expires_at > timezone.now()


class ExchangeSettings(models.Model):
    """How one plan is named in the systems its figures go to. Every field has a default
    (see the help texts), so a plan exports before an administrator fills any in."""

    plan = models.OneToOneField(
        Plan,
        on_delete=models.CASCADE,
        related_name="exchange_settings",
        verbose_name=_("plan"),
    )
    org_unit = models.CharField(
        _("DHIS2 organisation unit"),
        max_length=50,
        blank=True,
        help_text=_(
            "The code (or identifier) of the organisation unit the figures are reported for, "
            "usually the country. Empty: the country's name."
        ),
    )
    data_set = models.CharField(
        _("DHIS2 data set"),
        max_length=50,
        blank=True,
        help_text=_("The code of the DHIS2 data set. Empty: the plan's slug."),
    )
    default_combo = models.CharField(
        _("category option combination of totals"),
        max_length=50,
        default="default",
        help_text=_(
            "Sent with each total (a figure without a breakdown); DHIS2 names its default "
            "combination “default”."
        ),
    )
    attribute_option_combo = models.CharField(
        _("attribute option combination"),
        max_length=50,
        default="default",
        help_text=_("Sent with every value; “default” unless the data set uses attributes."),
    )
    iati_reporting_org_ref = models.CharField(
        _("IATI reporting organisation identifier"),
        max_length=100,
        blank=True,
        help_text=_(
            "The registered identifier of the organisation that publishes the plan (see "
            "org-id.guide). Empty: the lead institution's acronym."
        ),
    )
    iati_reporting_org_type = models.CharField(
        _("IATI organisation type"),
        max_length=3,
        default="10",
        help_text=_("From the IATI OrganisationType code list: 10 is a government."),
    )
    iati_identifier = models.CharField(
        _("IATI activity identifier"),
        max_length=150,
        blank=True,
        help_text=_("Empty: the reporting organisation's identifier, a dash and the plan's slug."),
    )
    recipient_country = models.CharField(
        _("recipient country (ISO 3166 code)"),
        max_length=2,
        blank=True,
        help_text=_("Two capital letters, such as ML for Mali. Empty: no recipient country."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan"]
        verbose_name = _("exchange settings")
        verbose_name_plural = _("exchange settings")

    def __str__(self):
        return str(self.plan)


class ComboMappingQuerySet(models.QuerySet):
    def lookup(self):
        """{(category id, crossed category id or None): combination} (one query)."""
        return {
            (category, cross): combo
            for category, cross, combo in self.values_list("category", "cross_category", "combo")
        }


class ComboMapping(models.Model):
    """The DHIS2 category option combination a breakdown cell is sent as: a category (women)
    or the crossing of two (women × Mopti). An unmapped cell is sent with its categories' codes
    joined by an underscore ("women_mopti"), for a DHIS2 that reads codes."""

    category = models.ForeignKey(
        DimensionValue, on_delete=models.CASCADE, related_name="+", verbose_name=_("category")
    )
    cross_category = models.ForeignKey(
        DimensionValue,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("crossed with"),
    )
    combo = models.CharField(
        _("DHIS2 category option combination"),
        max_length=50,
        help_text=_("Its identifier (UID) or code, as the receiving DHIS2 is told to read it."),
    )
    history = HistoricalRecords()

    objects = ComboMappingQuerySet.as_manager()

    class Meta:
        ordering = ["category", "cross_category"]
        verbose_name = _("DHIS2 category option combination")
        verbose_name_plural = _("DHIS2 category option combinations")
        constraints = [
            models.UniqueConstraint(
                fields=["category"],
                condition=Q(cross_category__isnull=True),
                name="combo_mapping_unique_single",
            ),
            models.UniqueConstraint(
                fields=["category", "cross_category"], name="combo_mapping_unique_crossed"
            ),
            models.CheckConstraint(
                condition=Q(cross_category__isnull=True) | ~Q(cross_category=F("category")),
                name="combo_mapping_distinct_categories",
            ),
            models.CheckConstraint(condition=~Q(combo=""), name="combo_mapping_has_combo"),
        ]

    def __str__(self):
        cell = self.category.name
        if self.cross_category_id:
            cell = f"{cell} × {self.cross_category.name}"
        return f"{cell} → {self.combo}"
