"""The annual report: its narrative, and publishing a version that keeps its figures."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import translation
from django.utils.translation import gettext as _

from tracker import access
from tracker.access import Right
from tracker.models import (
    AnnualReport,
    PublishedReport,
    limits,
)
from tracker.reports import annual


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
    """Keep the report's figures as they stand now, in both languages, as a new version."""
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
    report.status = AnnualReport.Status.PUBLISHED
    report._history_user = user
    report._change_reason = f"Published version {number}"
    report.save()
    return version
