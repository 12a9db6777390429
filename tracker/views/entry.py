"""The quarterly entry page: an institution's indicators and activities for one period, saved as
a draft or submitted to the secretariat (DESIGN.md §4)."""

from contextlib import contextmanager

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from tracker import services
from tracker.access import NO_INSTITUTION, Right, plan_view
from tracker.forms import ActivityProgressForm, IndicatorValueForm
from tracker.models import (
    Activity,
    ActivityProgress,
    AnnualTarget,
    Dimension,
    DimensionValue,
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


def entry_rows(plan, period, institution):
    """Everything the page shows, in a fixed number of queries whatever the number of
    indicators: the institution's indicators with this period's value, the latest validated
    value and the year's target; its activities with this period's progress."""
    responsible = Indicator.objects.filter(plan=plan, responsible_institutions=institution)
    # The indicators due in the period (quarterly ones in a quarter, annual ones in the whole
    # year), and any other that already has a value there, so that it can still be corrected.
    indicators_qs = responsible.filter(
        Q(pk__in=period.indicators_due(responsible).values("pk"))
        | Q(pk__in=IndicatorValue.objects.filter(period=period).values("indicator_id"))
    )
    indicators = list(
        indicators_qs.select_related("result__axis", "opportunity")
        .prefetch_related(
            "scale_levels",
            Prefetch(
                "dimensions",
                queryset=Dimension.objects.prefetch_related(
                    Prefetch("values", queryset=DimensionValue.objects.order_by("order", "name"))
                ),
            ),
            Prefetch(
                "annual_targets",
                queryset=AnnualTarget.objects.filter(year=period.year),
                to_attr="year_targets",
            ),
        )
        .order_by("result__axis__number", "result__code", "code")
    )
    values = {
        value.indicator_id: value
        for value in IndicatorValue.objects.filter(period=period, indicator__in=indicators_qs)
        .select_related("period")
        .prefetch_related("breakdown_rows", "evidence_files")
    }
    latest = IndicatorValue.objects.latest_validated_by_indicator(indicators_qs)
    for indicator in indicators:
        indicator.record = values.get(indicator.pk)
        if indicator.record:
            indicator.record.indicator = indicator
        indicator.last_validated = latest.get(indicator.pk)
        indicator.year_target = indicator.year_targets[0] if indicator.year_targets else None
        # The page lists only this institution's indicators; spares a query per save.
        indicator.responsible_ids = {institution.pk}
    if period.is_whole_year:
        # Activities report their progress by quarter.
        return indicators, []
    activities = list(
        Activity.objects.filter(plan=plan, lead_institution=institution)
        .select_related("opportunity")
        .prefetch_related(
            Prefetch(
                "progress_reports",
                # With its period: a posted form's clean() checks that it is still open, and
                # would otherwise fetch it first.
                queryset=ActivityProgress.objects.filter(period=period).select_related("period"),
                to_attr="period_progress",
            )
        )
        .order_by("code")
    )
    for activity in activities:
        activity.record = activity.period_progress[0] if activity.period_progress else None
    return indicators, activities


def _locked_for(access, record):
    """Submitted values wait for the secretariat; validated ones only it may correct."""
    if record is None or access.can_validate:
        return False
    return record.status in (IndicatorValue.Status.SUBMITTED, IndicatorValue.Status.VALIDATED)


def build_forms(request, access, indicators, activities):
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
        for indicator in indicators
    ]
    activity_forms = [
        ActivityProgressForm(
            data, instance=activity.record, activity=activity, prefix=f"a{activity.pk}"
        )
        for activity in activities
    ]
    return value_forms, activity_forms


@plan_view(Right.ENTER)
def period_entry(request, access, year, quarter=None):
    plan = access.plan
    period = get_period(plan, year, quarter)
    institution = _institution_for(request, access)
    if institution is None:
        return render_plan_page(
            request,
            access,
            "tracker/entry_choose_institution.html",
            {
                "period": period,
                "institutions": Institution.objects.filter(indicators__plan=plan).distinct(),
            },
        )
    indicators, activities = entry_rows(plan, period, institution)
    value_forms, activity_forms = build_forms(request, access, indicators, activities)
    status = 200
    if request.method == "POST":
        if not period.is_open:
            messages.error(request, PeriodClosedError(period).messages[0])
            status = 409
        elif all(form.is_valid() for form in value_forms + activity_forms):
            try:
                saved = _store(request, period, value_forms, activity_forms)
            except services.StaleVersionError as error:
                messages.error(
                    request, _("Nothing was saved: %(error)s") % {"error": error.messages[0]}
                )
                status = 409
            except (PermissionDenied, ValidationError) as error:
                messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
                status = 400
            else:
                messages.success(request, saved)
                return redirect(request.get_full_path())
        else:
            messages.error(request, _("Nothing was saved: correct the fields marked in red."))
            status = 400
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
