"""The secretariat's validation queue: submitted values, validated in bulk or returned one by
one with a reason (DESIGN.md §1, §4). Writes go through tracker.services."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tables2 import RequestConfig

from tracker import services
from tracker.filters import SubmittedValueFilter
from tracker.models import IndicatorValue, Institution, Plan
from tracker.tables import SubmittedValueTable

PAGE_SIZE = 50


def submitted_values(plan):
    """The plan's submitted values with all a queue row shows, in a fixed number of queries."""
    return (
        IndicatorValue.objects.filter(period__plan=plan, status=IndicatorValue.Status.SUBMITTED)
        .select_related("indicator", "period", "entered_by")
        .prefetch_related(
            Prefetch(
                "indicator__responsible_institutions",
                queryset=Institution.objects.order_by("acronym", "name"),
            ),
            "indicator__scale_levels",
        )
    )


def validation_queue(request, slug):
    plan = get_object_or_404(Plan, slug=slug)
    services.require_secretariat(
        request.user,
        _(
            "Only the secretariat validates or returns submitted values. Your institution's "
            "values are on the quarterly entry page."
        ),
    )
    if request.method == "POST":
        _act(request, plan)
        # Back to the same filters and page (Post/Redirect/Get).
        return redirect(request.get_full_path())
    filterset = SubmittedValueFilter(request.GET or None, submitted_values(plan), plan=plan)
    table = SubmittedValueTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    return render(
        request,
        "tracker/validation_queue.html",
        {"plan": plan, "filter": filterset, "table": table},
    )


def _act(request, plan):
    action = request.POST.get("action")
    try:
        if action == "validate":
            _validate(request, plan)
        elif action == "return":
            _return(request, plan)
        else:
            messages.error(request, _("Unknown action; nothing was changed."))
    except ValidationError as error:
        messages.error(
            request,
            _("Nothing was changed: %(error)s") % {"error": " ".join(error.messages)},
        )


def _validate(request, plan):
    ids = [pk for pk in request.POST.getlist("values") if pk.isdigit()]
    values = list(
        IndicatorValue.objects.filter(pk__in=ids, period__plan=plan).select_related("period")
    )
    if not values:
        messages.warning(request, _("Tick the values to validate, then press “Validate”."))
        return
    validated = services.validate(request.user, values)
    messages.success(
        request,
        ngettext("%(count)s value validated.", "%(count)s values validated.", len(validated))
        % {"count": len(validated)},
    )


def _return(request, plan):
    pk = request.POST.get("value", "")
    value = get_object_or_404(
        IndicatorValue.objects.select_related("indicator", "period"),
        pk=pk if pk.isdigit() else None,
        period__plan=plan,
    )
    services.return_for_correction(request.user, value, request.POST.get("reason", ""))
    messages.success(
        request,
        _("%(indicator)s %(period)s was returned to its institution for correction.")
        % {"indicator": value.indicator.code, "period": value.period.label},
    )
