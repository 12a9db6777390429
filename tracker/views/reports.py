"""The annual report page and its PDF, XLSX and CSV (DESIGN.md §5)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tracker import services
from tracker.access import Right, SignInRequired, plan_view
from tracker.forms import ReportNarrativeForm
from tracker.models import AnnualReport
from tracker.reports import annual
from tracker.reports import render as report_render
from tracker.reports.tabular import csv_response, xlsx_response
from tracker.views.plans import render_plan_page


def _report_and_version(request, access, year):
    """The report for the year (or None), its published versions and the version to show (or
    None for the live figures, which only the reporting staff see)."""
    plan = access.plan
    if year not in plan.years:
        raise Http404
    report = AnnualReport.objects.filter(plan=plan, year=year).first()
    versions = list(report.versions.all()) if report else []
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
    return report, versions, version


def _figures(plan, year, version):
    if version is None:
        return annual.build(plan, year)
    language = get_language()[:2]
    return version.figures.get(language) or next(iter(version.figures.values()))


def _narrative(report, version):
    if version is not None:
        return version.narrative
    return report.narrative if report else dict.fromkeys(annual.NARRATIVE_SECTIONS, "")


@plan_view(Right.READ_PUBLISHED)
def report_page(request, access, year):
    plan = access.plan
    report, versions, version = _report_and_version(request, access, year)
    figures = _figures(plan, year, version)
    context = {
        "year": year,
        "report": report,
        "versions": versions,
        "version": version,
        "figures": report_render.present(figures),
        "narrative": [
            (report_render.section_label(name), text)
            for name, text in _narrative(report, version).items()
        ],
        "changed": annual.changes_since(version.value_versions, plan, year) if version else None,
        "form": ReportNarrativeForm(instance=report) if access.can_prepare_reports else None,
        "query": request.GET.urlencode(),
    }
    return render_plan_page(request, access, "tracker/report.html", context)


@plan_view(Right.READ_PUBLISHED)
def report_export(request, access, year, kind):
    plan = access.plan
    report, _versions, version = _report_and_version(request, access, year)
    figures = _figures(plan, year, version)
    narrative = _narrative(report, version)
    suffix = f"-v{version.number}" if version else "-draft"
    filename = f"annual-report-{plan.slug}-{year}{suffix}-{get_language()[:2]}.{kind}"
    if kind == "csv":
        return csv_response(filename, report_render.csv_headers(), report_render.csv_rows(figures))
    if kind == "xlsx":
        return xlsx_response(filename, report_render.xlsx_sheets(figures, narrative))
    context = {
        "plan": plan,
        "year": year,
        "version": version,
        "figures": report_render.present(figures),
        "narrative": [
            (report_render.section_label(name), text) for name, text in narrative.items()
        ],
    }
    response = HttpResponse(report_render.pdf_bytes(context), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
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
