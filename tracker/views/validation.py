"""The secretariat's validation queue: submitted values with their outlier warnings (issue 14),
validated in bulk (the ticked ones, or all those shown without a warning) or returned one by one
with a reason; each row links to the value's review page. Writes go through tracker.services."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tables2 import RequestConfig

from tracker import review, services
from tracker.access import Right, own_part_in, plan_view
from tracker.figures import read_scale_levels
from tracker.filters import SubmittedValueFilter
from tracker.models import IndicatorValue
from tracker.tables import SubmittedValueTable
from tracker.views.plans import render_plan_page

PAGE_SIZE = 50


@plan_view(Right.VALIDATE)
def validation_queue(request, access):
    plan = access.plan
    if request.method == "POST":
        _act(request, plan)
        # Back to the same filters and page (Post/Redirect/Get).
        return redirect(request.get_full_path())
    filterset = SubmittedValueFilter(
        request.GET or None, IndicatorValue.objects.awaiting_validation(plan), plan=plan
    )
    values, warnings = filterset.qs, None
    if filterset.warnings_only:
        # Every row of the filtered queue is measured, to keep the flagged ones.
        warnings = review.queue_warnings(values.prefetch_related(None), plan.outlier_factor)
        values = values.filter(pk__in=list(warnings))
    table = SubmittedValueTable(values)
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    rows = list(table.page.object_list.data)
    read_scale_levels(row.indicator for row in rows)  # the rows the table writes
    table.warnings = (
        warnings if warnings is not None else review.queue_warnings(rows, plan.outlier_factor)
    )
    # What "Validate the N values without warnings" validates: the rows shown that are neither
    # flagged nor barred (four eyes, a closed period).
    unflagged = [
        row
        for row in rows
        if row.pk not in table.warnings
        and row.period.is_open
        and not own_part_in(request.user, row)
    ]
    return render_plan_page(
        request,
        access,
        "tracker/validation_queue.html",
        {"filter": filterset, "table": table, "unflagged": unflagged},
    )


def _act(request, plan):
    action = request.POST.get("action")
    try:
        if action in ("validate", "validate_unflagged"):
            _validate(request, plan, unflagged_only=action == "validate_unflagged")
        elif action == "return":
            _return(request, plan)
        else:
            messages.error(request, _("Unknown action; nothing was changed."))
    except ValidationError as error:
        messages.error(
            request,
            _("Nothing was changed: %(error)s") % {"error": " ".join(error.messages)},
        )


def seen_versions(keys):
    """{value id: version} from the queue's "id:version" keys: what the secretariat saw."""
    seen = {}
    for key in keys:
        pk, _sep, version = key.partition(":")
        if pk.isdigit() and version.isdigit():
            seen[int(pk)] = int(version)
    return seen


def _validate(request, plan, *, unflagged_only=False):
    # The ticked rows, or the rows shown without a warning ("unflagged", hidden inputs).
    seen = seen_versions(request.POST.getlist("unflagged" if unflagged_only else "values"))
    in_plan = IndicatorValue.objects.filter(pk__in=seen, period__plan=plan)
    seen = {pk: seen[pk] for pk in in_plan.values_list("pk", flat=True)}
    if not seen:
        messages.warning(request, _("Tick the values to validate, then press “Validate”."))
        return
    if unflagged_only:
        # A warning that appeared since the page was shown (a value validated meanwhile)
        # stops the batch: "without warnings" must still be true.
        checked = list(in_plan.select_related("indicator", "period"))
        flagged = review.queue_warnings(checked, plan.outlier_factor)
        if flagged:
            names = [f"{v.indicator.code} {v.period.label}" for v in checked if v.pk in flagged]
            raise ValidationError(
                _("%(values)s now has a warning; review it on its page.")
                % {"values": ", ".join(names)}
            )
    validated = services.validate(user=request.user, seen_versions=seen)
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
    version = request.POST.get("version", "")
    services.return_with_comment(
        user=request.user,
        record=value,
        reason=request.POST.get("reason", ""),
        seen_version=int(version) if version.isdigit() else 0,
    )
    messages.success(
        request,
        _("%(indicator)s %(period)s was returned to its institution for correction.")
        % {"indicator": value.indicator.code, "period": value.period.label},
    )
