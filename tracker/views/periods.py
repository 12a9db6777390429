"""Reporting periods: their list with the values' statuses, closing and reopening them, moving
their due dates (DESIGN.md §1, §4)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tracker import services
from tracker.access import Right, plan_view
from tracker.models import IndicatorValue
from tracker.views.entry import get_period
from tracker.views.plans import render_plan_page

Status = IndicatorValue.Status


# The list of periods


@plan_view(Right.READ)
def period_list(request, access):
    periods = access.plan.reporting_periods.chronological().with_value_counts()
    return render_plan_page(request, access, "tracker/periods.html", {"periods": periods})


PENDING = [Status.DRAFT, Status.SUBMITTED, Status.RETURNED]


def pending_by_institution(period):
    """[(institution, [drafts, submitted, returned])] for the values of `period` not validated
    yet, under each institution responsible for their indicator, institutions by name."""
    by_institution = {}
    for value in IndicatorValue.objects.pending_in(period):
        for institution in value.indicator.responsible_institutions.all():
            columns = by_institution.setdefault(institution, [[] for _status in PENDING])
            columns[PENDING.index(value.status)].append(value)
    return sorted(by_institution.items(), key=lambda item: item[0].short_name.casefold())


@plan_view(Right.MANAGE_PERIODS)
def period_close(request, access, year, quarter=None):
    """GET: what is still pending in the period, by institution, and the button that closes it;
    POST: close it."""
    period = get_period(access.plan, year, quarter)
    period.plan = access.plan  # the page's links name it
    if request.method == "POST":
        services.close_period(user=request.user, period=period)
        messages.success(
            request,
            _("Period %(period)s is closed: its values can no longer be changed.")
            % {"period": period.label},
        )
        return redirect("period-list", slug=access.plan.slug)
    return render_plan_page(
        request,
        access,
        "tracker/period_close.html",
        {
            "period": period,
            "pending": pending_by_institution(period),
            "statuses": [Status(status).label for status in PENDING],
        },
    )


def _change_period(request, access, period, change, *, refused, done):
    """Run `change` (a period service, through the closure the view gives) and tell the user
    what happened: `refused` with the reasons, or `done` with what `change` returned."""
    try:
        said = change() or {}
    except ValidationError as error:
        messages.error(
            request, refused % {"period": period.label, "error": " ".join(error.messages)}
        )
    else:
        messages.success(request, done % {"period": period.label, **said})
    return redirect("period-list", slug=access.plan.slug)


@require_POST
@plan_view(Right.MANAGE_PERIODS)
def period_reopen(request, access, year, quarter=None):
    period = get_period(access.plan, year, quarter)

    def reopen():
        services.reopen_period(
            user=request.user, period=period, reason=request.POST.get("reason", "")
        )

    return _change_period(
        request,
        access,
        period,
        reopen,
        refused=_("Period %(period)s is still closed: %(error)s"),
        done=_("Period %(period)s is open again: members can correct and submit values."),
    )


@require_POST
@plan_view(Right.MANAGE_PERIODS)
def period_due_date(request, access, year, quarter=None):
    """The periods page's small form: a new due date for one period, and why."""
    period = get_period(access.plan, year, quarter)

    def move():
        # ISO from a date input, or the active language's format typed by hand.
        due_on = forms.DateField().clean(request.POST.get("due_on", ""))
        services.set_due_date(
            user=request.user, period=period, due_on=due_on, reason=request.POST.get("reason", "")
        )
        return {"date": date_format(due_on, "DATE_FORMAT")}

    return _change_period(
        request,
        access,
        period,
        move,
        refused=_("The due date of %(period)s is unchanged: %(error)s"),
        done=_("The reports of %(period)s are now due on %(date)s."),
    )
