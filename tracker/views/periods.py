"""Reporting periods: their list with the values' statuses, closing and reopening them
(DESIGN.md §1, §4)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tracker import services
from tracker.models import (
    IndicatorValue,
    Plan,
)
from tracker.views.completeness import can_see_completeness
from tracker.views.entry import get_plan_period

Status = IndicatorValue.Status


PERIODS_ARE_THE_SECRETARIATS = gettext_lazy(
    "Only the secretariat opens and closes reporting periods."
)


# The list of periods


def period_list(request, slug):
    plan = get_object_or_404(Plan, slug=slug)
    services.require_role(request.user)

    def count(status):
        return Count("values", filter=Q(values__status=status), distinct=True)

    periods = plan.reporting_periods.annotate(
        draft_count=count(Status.DRAFT),
        submitted_count=count(Status.SUBMITTED),
        validated_count=count(Status.VALIDATED),
        returned_count=count(Status.RETURNED),
        meeting_count=Count("meetings", distinct=True),
    ).order_by("year", "quarter")
    return render(
        request,
        "tracker/periods.html",
        {
            "plan": plan,
            "periods": periods,
            "can_manage": request.user.is_secretariat,
            "can_see_completeness": can_see_completeness(request.user),
        },
    )


@require_POST
def period_close(request, slug, year, quarter):
    plan, period = get_plan_period(slug, year, quarter)
    services.require_secretariat(request.user, PERIODS_ARE_THE_SECRETARIATS)
    services.close_period(request.user, period)
    messages.success(
        request,
        _("Period %(period)s is closed: its values can no longer be changed.")
        % {"period": period.label},
    )
    return redirect("period-list", slug=plan.slug)


@require_POST
def period_reopen(request, slug, year, quarter):
    plan, period = get_plan_period(slug, year, quarter)
    services.require_secretariat(request.user, PERIODS_ARE_THE_SECRETARIATS)
    try:
        services.reopen_period(request.user, period, request.POST.get("reason", ""))
    except ValidationError as error:
        messages.error(
            request,
            _("Period %(period)s is still closed: %(error)s")
            % {"period": period.label, "error": " ".join(error.messages)},
        )
    else:
        messages.success(
            request,
            _("Period %(period)s is open again: members can correct and submit values.")
            % {"period": period.label},
        )
    return redirect("period-list", slug=plan.slug)
