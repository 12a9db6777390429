"""Where a figure comes from, as a reader can check it (DESIGN.md §2): a publication, cited by
its publisher, title, date and address. Values, baselines and indicators point to one; the
secretariat's internal notes stay apart and never reach a reader."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Source(models.Model):
    class Kind(models.TextChoices):
        REPORT = "report", _("Report")
        WEB_PAGE = "web_page", _("Web page")
        PRESS = "press", _("Press article")
        DATABASE = "database", _("Database")
        OFFICIAL = "official", _("Official document")

    class Precision(models.TextChoices):
        # Many publications give a month or a year only: the citation says no more.
        DAY = "day", _("Day")
        MONTH = "month", _("Month")
        YEAR = "year", _("Year")

    # The publisher and title are translated (tracker/translation.py): a UN publication has a
    # French and an English title; a Malian newspaper's has one, kept in both columns.
    publisher = models.CharField(_("publisher"), max_length=300)
    title = models.CharField(_("title"), max_length=500)
    published_on = models.DateField(
        _("published on"),
        help_text=_("For a month or a year only, give its first day and the precision."),
    )
    date_precision = models.CharField(
        _("date precision"), max_length=5, choices=Precision.choices, default=Precision.DAY
    )
    address = models.URLField(_("address"), max_length=500, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-published_on", "publisher"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        constraints = [
            models.CheckConstraint(
                condition=Q(date_precision__in=["day", "month", "year"]),
                name="source_date_precision_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["report", "web_page", "press", "database", "official"]),
                name="source_kind_valid",
            ),
            models.CheckConstraint(
                condition=~Q(publisher="") & ~Q(title=""), name="source_publisher_and_title"
            ),
        ]

    def __str__(self):
        return self.citation

    @property
    def date_text(self):
        """The date as precise as the publication gives it: « 29 avril 2021 », "April 2022",
        "2023"."""
        if self.date_precision == self.Precision.YEAR:
            return str(self.published_on.year)
        if self.date_precision == self.Precision.MONTH:
            return date_format(self.published_on, "YEAR_MONTH_FORMAT")
        return date_format(self.published_on, "DATE_FORMAT")

    @property
    def citation(self):
        """Publisher, “title”, date: what a reader sees as the source, in their language (and
        its quotation marks: « titre » in French)."""
        return gettext("%(publisher)s, “%(title)s”, %(date)s") % {
            "publisher": self.publisher,
            "title": self.title,
            "date": self.date_text,
        }

    def clean(self):
        if self.published_on and self.published_on > datetime.date.today():
            raise ValidationError(
                {"published_on": _("A publication cannot be dated in the future.")}
            )


def citation_field(verbose_name, help_text="", related_name="+"):
    """A record's pointer to the publication readers see as its source."""
    return models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name=related_name,
        verbose_name=verbose_name,
        help_text=help_text,
    )
