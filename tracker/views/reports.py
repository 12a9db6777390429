"""The annual report page and its PDF, XLSX and CSV (DESIGN.md §5)."""

import io

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils import translation
from django.utils.cache import get_conditional_response
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tracker import services
from tracker.access import Right, SignInRequired, plan_view
from tracker.forms import ReportNarrativeForm
from tracker.models import AnnualReport
from tracker.reports import annual, documents
from tracker.services.reports import kept_report_file
from tracker.views.plans import render_plan_page


def _report_and_version(request, access, year, *, kept=True):
    """The report for the year (or None), its published versions and the version to show (or
    None for the live figures, which only the reporting staff see). The versions are listed
    without the figures each keeps (some 60 KB for Mali, which a draft or another version's
    page would read for nothing); with `kept`, the version shown is read again with them."""
    plan = access.plan
    if year not in plan.years:
        raise Http404
    report = AnnualReport.objects.filter(plan=plan, year=year).first()
    versions = (
        list(report.versions.defer("figures", "narrative", "value_versions")) if report else []
    )
    wanted = request.GET.get("version", "")
    if wanted.isdigit():
        version = next((v for v in versions if v.number == int(wanted)), None)
        if version is None:
            raise Http404
    elif request.GET.get("draft") or not versions:
        version = None
    else:
        version = versions[0]
    if version is None and not access.can_prepare_reports:
        # Everyone else reads the latest publication.
        if versions:
            version = versions[0]
        elif not request.user.is_authenticated:
            raise SignInRequired
        else:
            raise PermissionDenied(
                _("The %(year)s report has not been published yet.") % {"year": year}
            )
    if version is not None and kept:
        version = report.versions.get(pk=version.pk)
    return report, versions, version


def _figures(plan, year, version):
    if version is None:
        return annual.build(plan, year)
    return version.figures_in(get_language()[:2])


def _narrative(report, version):
    if version is not None:
        return version.narrative
    return report.narrative if report else dict.fromkeys(annual.NARRATIVE_SECTIONS, "")


@plan_view(Right.READ_PUBLISHED)
def report_page(request, access, year):
    plan = access.plan
    report, versions, version = _report_and_version(request, access, year)
    context = {
        "year": year,
        "report": report,
        "versions": versions,
        "version": version,
        "body": documents.html_body(
            figures=_figures(plan, year, version),
            narrative=_narrative(report, version),
            plan=plan,
            year=year,
            language=get_language(),
        ),
        "changed": annual.changes_since(version.value_versions, plan, year) if version else None,
        "files": _files_by_language(version) if version else [],
        "form": ReportNarrativeForm(instance=report) if access.can_prepare_reports else None,
        "query": request.GET.urlencode(),
    }
    return render_plan_page(request, access, "tracker/report.html", context)


def _files_by_language(version):
    """The published version's stored files, in the reader's language first, each language's
    in the order of the download buttons."""
    reader = get_language()[:2]
    files = sorted(version.files.all(), key=lambda row: documents.KINDS.index(row.kind))
    names = dict(settings.LANGUAGES)
    return [
        (names[code], rows)
        for code in sorted(names, key=lambda code: code != reader)
        if (rows := [row for row in files if row.language == code])
    ]


@plan_view(Right.READ_PUBLISHED)
def report_export(request, access, year, kind):
    """A published version's file as it was stored when published, byte for byte; the draft
    made from the current figures, from the cache while they do not change."""
    plan = access.plan
    language = _file_language(request)
    # A stored file needs none of the figures each version keeps.
    report, _versions, version = _report_and_version(request, access, year, kept=False)
    filename = documents.filename(
        plan=plan, year=year, version=version, language=language, kind=kind
    )
    if version is None:
        with translation.override(language):
            figures = annual.build(plan, year)
        data = documents.draft(
            figures=figures,
            narrative=_narrative(report, None),
            plan=plan,
            year=year,
            language=language,
            kind=kind,
        )
        return _file_response(io.BytesIO(data), filename, kind, language, len(data))
    stored = version.files.filter(language=language, kind=kind).first()
    if stored is None:  # published before its files were kept
        stored = kept_report_file(
            version=version, plan=plan, year=year, language=language, kind=kind
        )
    etag = f'"{stored.sha256}"'
    if (not_modified := get_conditional_response(request, etag=etag)) is not None:
        not_modified["ETag"] = etag
        return not_modified
    response = _file_response(stored.file.open("rb"), filename, kind, language, stored.size)
    response["ETag"] = etag
    return response


def _file_language(request):
    """The request's language, or the one the link asks for (the report page links to the
    published files of both)."""
    wanted = request.GET.get("language")
    if wanted is None:
        return get_language()[:2]
    if wanted not in dict(settings.LANGUAGES):
        raise Http404
    return wanted


def _file_response(content, filename, kind, language, size):
    response = FileResponse(
        content, as_attachment=True, filename=filename, content_type=documents.CONTENT_TYPES[kind]
    )
    response["Content-Length"] = size
    response["Content-Language"] = language
    return response


@require_POST
@plan_view(Right.PREPARE_REPORTS)
def report_narrative(request, access, year):
    report = services.annual_report_for(user=request.user, plan=access.plan, year=year)
    form = ReportNarrativeForm(request.POST, instance=report)
    if form.is_valid():
        services.save_report_narrative(user=request.user, report=report, sections=form.cleaned_data)
        messages.success(request, _("The narrative is saved."))
    else:
        messages.error(request, _("The narrative was not saved: correct the fields marked in red."))
    return redirect("annual-report", slug=access.plan.slug, year=year)


@require_POST
@plan_view(Right.PUBLISH_REPORTS)
def report_publish(request, access, year):
    version = services.publish_report(user=request.user, plan=access.plan, year=year)
    messages.success(
        request,
        _("Version %(number)s of the %(year)s report is published.")
        % {"number": version.number, "year": year},
    )
    return redirect("annual-report", slug=access.plan.slug, year=year)
