"""The annual report: its narrative, and publishing a version that keeps its figures and the
files it was published as."""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import translation
from django.utils.translation import gettext as _

from tracker import access
from tracker.access import Right
from tracker.models import (
    AnnualReport,
    PublishedReport,
    PublishedReportFile,
    limits,
)
from tracker.reports import annual, documents


@transaction.atomic
def annual_report_for(*, user, plan, year):
    access.require(user, Right.PREPARE_REPORTS)
    if year not in plan.years:
        raise ValidationError(_("%(year)s is outside the plan.") % {"year": year})
    report, _created = AnnualReport.objects.get_or_create(plan=plan, year=year)
    return report


@transaction.atomic
def save_report_narrative(*, user, report, sections):
    access.require(user, Right.PREPARE_REPORTS)
    texts = {name: sections.get(name, "").strip() for name in annual.NARRATIVE_SECTIONS}
    limits.check_lengths(AnnualReport, texts)
    for name in annual.NARRATIVE_SECTIONS:
        setattr(report, name, sections.get(name, "").strip())
    report._history_user = user
    report.save()
    return report


@transaction.atomic
def publish_report(*, user, plan, year):
    """Keep the report's figures as they stand now, in both languages, as a new version, with
    its PDF, XLSX and CSV in both languages. All or nothing: if a file cannot be made or
    stored, nothing is published and no file is left behind."""
    access.require(user, Right.PUBLISH_REPORTS)
    report = annual_report_for(user=user, plan=plan, year=year)
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    figures = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            figures[code] = annual.build(plan, year)
    number = (report.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    version = PublishedReport.objects.create(
        report=report,
        number=number,
        published_by=user,
        figures=figures,
        narrative=report.narrative,
        value_versions=annual.value_versions(plan, year),
    )
    # Every file is made before the first is stored: a renderer that fails stores nothing.
    made = {
        (code, kind): documents.make_published(
            version=version, plan=plan, year=year, language=code, kind=kind
        )
        for code, _name in settings.LANGUAGES
        for kind in documents.KINDS
    }
    stored = []
    try:
        for (code, kind), data in made.items():
            stored.append(_store_file(version=version, language=code, kind=kind, data=data))
        report.status = AnnualReport.Status.PUBLISHED
        report._history_user = user
        report._change_reason = f"Published version {number}"
        report.save()
    except BaseException:
        # The rows roll back with the transaction; the files on disk would not.
        for row in stored:
            row.file.delete(save=False)
        raise
    return version


def kept_report_file(*, version, plan, year, language, kind):
    """The stored file of a version published before its files were kept: made once from the
    figures and narrative the version kept, then stored like the others. Two first downloads at
    once both make it; the unique constraint keeps the first stored, which both then serve.
    Only the insert is in a transaction: the rendering (seconds for a PDF) holds no lock."""
    data = documents.make_published(
        version=version, plan=plan, year=year, language=language, kind=kind
    )
    try:
        with transaction.atomic():
            return _store_file(version=version, language=language, kind=kind, data=data)
    except IntegrityError:
        return PublishedReportFile.objects.get(version=version, language=language, kind=kind)


def _store_file(*, version, language, kind, data):
    row = PublishedReportFile(
        version=version,
        language=language,
        kind=kind,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
    )
    row.file.save(f"report.{kind}", ContentFile(data), save=False)
    try:
        row.save()
    except BaseException:
        row.file.delete(save=False)
        raise
    return row
