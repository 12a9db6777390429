"""The quarterly entry page: an institution's indicators and activities for one period, saved as
a draft or submitted to the secretariat (DESIGN.md §4)."""

from contextlib import contextmanager

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from tracker import services
from tracker.access import NO_INSTITUTION, Right, plan_view
from tracker.forms import ActivityProgressForm, IndicatorValueForm
from tracker.models import (
    Activity,
    Indicator,
    IndicatorValue,
    Institution,
    PeriodClosedError,
    ReportingPeriod,
)
from tracker.views.plans import render_plan_page


def get_period(plan, year, quarter):
    return get_object_or_404(ReportingPeriod, plan=plan, year=year, quarter=quarter)


def _institution_for(request, access):
    """Members report for their own institution; the secretariat picks one (?institution=)."""
    if access.can_enter_for_any_institution:
        chosen = request.GET.get("institution")
        if chosen and chosen.isdigit():
            return get_object_or_404(Institution, pk=chosen)
        return None
    if not request.user.institution_id:
        raise PermissionDenied(NO_INSTITUTION)
    return request.user.institution


def _locked_for(access, record):
    """Submitted values wait for the secretariat; validated ones only it may correct."""
    if record is None or access.can_validate:
        return False
    return record.status in (IndicatorValue.Status.SUBMITTED, IndicatorValue.Status.VALIDATED)


def build_forms(request, access, period, institution):
    """One form per indicator and per activity the institution reports in the period, bound
    to the posted data on a POST."""
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    value_forms = [
        IndicatorValueForm(
            data,
            files,
            indicator=indicator,
            record=indicator.record,
            prefix=f"i{indicator.pk}",
            locked=_locked_for(access, indicator.record),
        )
        for indicator in Indicator.objects.for_entry(period, institution)
    ]
    # Activities report their progress by quarter.
    activities = [] if period.is_whole_year else Activity.objects.for_entry(period, institution)
    activity_forms = [
        ActivityProgressForm(
            data, instance=activity.record, activity=activity, prefix=f"a{activity.pk}"
        )
        for activity in activities
    ]
    return value_forms, activity_forms


def _save_page(request, period, value_forms, activity_forms):
    """Store the posted page, all of it or nothing, and say so; the HTTP status to answer
    with, 302 once saved."""
    if not period.is_open:
        messages.error(request, PeriodClosedError(period).messages[0])
        return 409
    if not all(form.is_valid() for form in value_forms + activity_forms):
        messages.error(request, _("Nothing was saved: correct the fields marked in red."))
        return 400
    try:
        saved = _store(request, period, value_forms, activity_forms)
    except services.StaleVersionError as error:
        messages.error(request, _("Nothing was saved: %(error)s") % {"error": error.messages[0]})
        return 409
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return 400
    messages.success(request, saved)
    return 302


@plan_view(Right.ENTER)
def period_entry(request, access, year, quarter=None):
    period = get_period(access.plan, year, quarter)
    institution = _institution_for(request, access)
    if institution is None:
        institutions = Institution.objects.filter(indicators__plan=access.plan).distinct()
        return render_plan_page(
            request,
            access,
            "tracker/entry_choose_institution.html",
            {"period": period, "institutions": institutions},
        )
    value_forms, activity_forms = build_forms(request, access, period, institution)
    status = 200
    if request.method == "POST":
        status = _save_page(request, period, value_forms, activity_forms)
        if status == 302:
            return redirect(request.get_full_path())
    return render_plan_page(
        request,
        access,
        "tracker/period_entry.html",
        {
            "period": period,
            "institution": institution,
            "value_forms": value_forms,
            "activity_forms": activity_forms,
            "submitting": request.POST.get("action") == "submit",
        },
        status=status,
    )


@contextmanager
def _errors_shown_on(form):
    """A refused save shows its reason on the form it came from, then aborts the page's
    transaction: nothing of the page is stored."""
    try:
        yield
    except ValidationError as error:
        form.add_error(None, error)
        raise


def _store(request, period, value_forms, activity_forms):
    """Save every changed form, then submit if asked: all or nothing. A stale form gets the
    error attached (the user's input stays on the page) and nothing is stored."""
    user = request.user
    saved_values = 0
    with transaction.atomic():
        for form in value_forms:
            if not form.has_changed():
                continue
            with _errors_shown_on(form):
                form.record = services.save_value(
                    user=user,
                    indicator=form.indicator,
                    period=period,
                    data=form.value_input(),
                    expected_version=form.cleaned_data["version"],
                    reason=request.POST.get("reason", ""),
                )
            saved_values += 1
        for form in activity_forms:
            if form.has_changed():
                with _errors_shown_on(form):
                    services.save_activity_progress(
                        user=user,
                        activity=form.activity,
                        period=period,
                        fields=form.progress_fields(),
                        expected_version=form.cleaned_data["version"],
                    )
        submitted = []
        if request.POST.get("action") == "submit":
            records = [form.record for form in value_forms if form.record is not None]
            submitted = services.submit(user=user, values=records)
    if submitted:
        return _("%(saved)s value(s) saved; %(submitted)s submitted to the secretariat.") % {
            "saved": saved_values,
            "submitted": len(submitted),
        }
    return _("%(saved)s value(s) saved as draft.") % {"saved": saved_values}
