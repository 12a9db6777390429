"""The annual report: its narrative, written by the reporting staff, and the versions it was
published in, each keeping the figures it was published with and the files it was published as
(DESIGN.md §2, §5)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from . import limits
from .framework import FIRST_YEAR, LAST_YEAR, Plan


class AnnualReport(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    plan = models.ForeignKey(
        Plan, on_delete=models.PROTECT, related_name="annual_reports", verbose_name=_("plan")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    summary = models.TextField(_("summary"), blank=True, max_length=limits.REPORT_SECTION)
    achievements = models.TextField(_("achievements"), blank=True, max_length=limits.REPORT_SECTION)
    challenges = models.TextField(_("challenges"), blank=True, max_length=limits.REPORT_SECTION)
    recommendations = models.TextField(
        _("recommendations"), blank=True, max_length=limits.REPORT_SECTION
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "year"]
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        permissions = [("publish_annualreport", _("Can publish annual reports"))]
        constraints = [
            models.UniqueConstraint(fields=["plan", "year"], name="annual_report_unique"),
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_YEAR, year__lte=LAST_YEAR),
                name="annual_report_year_range",
            ),
            *limits.length_constraints(
                "annual_report",
                dict.fromkeys(
                    ["summary", "achievements", "challenges", "recommendations"],
                    limits.REPORT_SECTION,
                ),
            ),
        ]

    def __str__(self):
        return f"{self.plan} {self.year}"

    @property
    def narrative(self):
        return {
            "summary": self.summary,
            "achievements": self.achievements,
            "challenges": self.challenges,
            "recommendations": self.recommendations,
        }


class PublishedReport(models.Model):
    """One publication of an annual report. Never changed once written: a later correction
    is counted against it, and publishing again makes a new version."""

    report = models.ForeignKey(
        AnnualReport, on_delete=models.PROTECT, related_name="versions", verbose_name=_("report")
    )
    number = models.PositiveSmallIntegerField(_("version"))
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("published by"),
    )
    # {"fr": figures, "en": figures}: the same numbers with each language's labels.
    figures = models.JSONField(_("figures"))
    narrative = models.JSONField(_("narrative"))
    # {value id: version} of the validated values counted, to tell what changed since.
    value_versions = models.JSONField(_("value versions"))

    class Meta:
        ordering = ["report", "-number"]
        verbose_name = _("published report")
        verbose_name_plural = _("published reports")
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="published_report_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="published_report_number"),
        ]

    def __str__(self):
        return f"{self.report} v{self.number}"

    def figures_in(self, language):
        """The figures kept with `language`'s labels, or another language's where this one was
        not kept (a version published before that language was offered)."""
        return self.figures.get(language) or next(iter(self.figures.values()))


def _stored_name(instance, filename):
    # A random name: nothing the staff typed reaches the disk, and no name can be guessed.
    return f"reports/{uuid.uuid4().hex}.{instance.kind}"


class PublishedReportFile(models.Model):
    """One file of a published version (its PDF, XLSX or CSV in one language), stored once with
    its SHA-256 so that every later download is the very document that was published. Never
    changed once written: there is no update path, and a correction is a new version."""

    class Kind(models.TextChoices):
        PDF = "pdf", "PDF"
        XLSX = "xlsx", "XLSX"
        CSV = "csv", "CSV"

    version = models.ForeignKey(
        PublishedReport, on_delete=models.PROTECT, related_name="files", verbose_name=_("version")
    )
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)
    kind = models.CharField(_("kind"), max_length=4, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to=_stored_name, max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["version", "language", "kind"]
        verbose_name = _("published report file")
        verbose_name_plural = _("published report files")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "language", "kind"], name="published_report_file_unique"
            ),
            models.CheckConstraint(
                condition=Q(language__in=[code for code, _name in settings.LANGUAGES]),
                name="published_report_file_language",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["pdf", "xlsx", "csv"]), name="published_report_file_kind"
            ),
            models.CheckConstraint(
                condition=Exact(Length("sha256"), 64), name="published_report_file_sha256"
            ),
        ]

    def __str__(self):
        return f"{self.version} {self.language} {self.kind}"
