"""The annual report page and its PDF, XLSX and CSV (DESIGN.md §5)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tracker import services
from tracker.forms import ReportNarrativeForm
from tracker.models import AnnualReport, Plan
from tracker.reports import annual
from tracker.reports import render as report_render
from tracker.reports.tabular import csv_response, xlsx_response


def _report_and_version(request, slug, year):
    """The plan, its report for the year (or None) and the published version to show (or None
    for the live figures, which only reporting staff see)."""
    plan = get_object_or_404(Plan, slug=slug)
    if year not in plan.years:
        raise Http404
    user = request.user
    if not user.is_authenticated and not plan.is_public:
        raise _SignIn
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
    if version is None and not services.can_prepare_reports(user):
        # Only reporting staff see unpublished figures; others get the latest publication.
        if versions:
            version = versions[0]
        elif not user.is_authenticated:
            raise _SignIn
        else:
            raise PermissionDenied(
                _("The %(year)s report has not been published yet.") % {"year": year}
            )
    if user.is_authenticated:
        services.require_role(user)
    return plan, report, versions, version


class _SignIn(Exception):
    pass


def _figures(plan, year, version):
    if version is None:
        return annual.build(plan, year)
    language = get_language()[:2]
    return version.figures.get(language) or next(iter(version.figures.values()))


def _narrative(report, version):
    if version is not None:
        return version.narrative
    return report.narrative if report else dict.fromkeys(annual.NARRATIVE_SECTIONS, "")


@login_not_required
def report_page(request, slug, year):
    try:
        plan, report, versions, version = _report_and_version(request, slug, year)
    except _SignIn:
        return redirect_to_login(request.get_full_path())
    figures = _figures(plan, year, version)
    can_prepare = services.can_prepare_reports(request.user)
    context = {
        "plan": plan,
        "year": year,
        "report": report,
        "versions": versions,
        "version": version,
        "figures": report_render.present(figures),
        "narrative": [
            (report_render.section_label(name), text)
            for name, text in _narrative(report, version).items()
        ],
        "can_prepare": can_prepare,
        "changed": annual.changes_since(version.value_versions, plan, year) if version else None,
        "form": ReportNarrativeForm(instance=report) if can_prepare else None,
        "query": request.GET.urlencode(),
    }
    return render(request, "tracker/report.html", context)


@login_not_required
def report_export(request, slug, year, kind):
    try:
        plan, report, _versions, version = _report_and_version(request, slug, year)
    except _SignIn:
        return redirect_to_login(request.get_full_path())
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
def report_narrative(request, slug, year):
    plan = get_object_or_404(Plan, slug=slug)
    report = services.annual_report_for(request.user, plan, year)
    form = ReportNarrativeForm(request.POST, instance=report)
    if form.is_valid():
        services.save_report_narrative(request.user, report, form.cleaned_data)
        messages.success(request, _("The narrative is saved."))
    else:
        messages.error(request, _("The narrative was not saved: correct the fields marked in red."))
    return redirect("annual-report", slug=slug, year=year)


@require_POST
def report_publish(request, slug, year):
    plan = get_object_or_404(Plan, slug=slug)
    version = services.publish_report(request.user, plan, year)
    messages.success(
        request,
        _("Version %(number)s of the %(year)s report is published.")
        % {"number": version.number, "year": year},
    )
    return redirect("annual-report", slug=slug, year=year)
