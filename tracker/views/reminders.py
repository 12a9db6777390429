"""The "remind" button of the completeness page: e-mail an institution's members that its
report for a period is incomplete (tracker.services.remind_institution)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from tracker import services
from tracker.access import Right, plan_view
from tracker.models import Institution
from tracker.reminders.compose import display_name


def _posted_id(request, name):
    raw = request.POST.get(name, "")
    return int(raw) if raw.isdigit() else None


@require_POST
@plan_view(Right.MANAGE_PERIODS)
def completeness_remind(request, access):
    plan = access.plan
    period = get_object_or_404(plan.reporting_periods, pk=_posted_id(request, "period"))
    institution = get_object_or_404(Institution, pk=_posted_id(request, "institution"))
    try:
        outcome = services.remind_institution(
            user=request.user, period=period, institution=institution
        )
    except ValidationError as error:
        messages.error(request, _("Nobody was reminded: %(error)s") % {"error": error.messages[0]})
        return redirect("completeness", slug=plan.slug)
    names = {
        "institution": institution.short_name,
        "period": period.label,
        "reminded": ", ".join(display_name(user) for user in outcome.reminded),
        "already": ", ".join(display_name(user) for user in outcome.already),
    }
    if outcome.reminded:
        text = ngettext(
            "%(count)s person at %(institution)s reminded by e-mail for %(period)s: %(reminded)s.",
            "%(count)s people at %(institution)s reminded by e-mail for %(period)s: %(reminded)s.",
            len(outcome.reminded),
        )
        messages.success(request, text % {**names, "count": len(outcome.reminded)})
    if outcome.already:
        messages.info(
            request, _("Already reminded today for %(period)s, not again: %(already)s.") % names
        )
    return redirect("completeness", slug=plan.slug)
