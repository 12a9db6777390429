"""The plan's figures for other systems, downloaded from the annual report page: DHIS2
dataValueSets JSON and ADX XML for a range of periods, IATI 2.03 for the plan (the same
documents as the API's /api/plans/<slug>/exports/…)."""

from django.http import HttpResponse, HttpResponseBadRequest
from django.utils import timezone

from tracker.access import Right, plan_view
from tracker.exchange import documents
from tracker.exchange.common import PeriodRange


@plan_view(Right.READ_PUBLISHED)
def plan_export(request, access, kind):
    try:
        period_range = PeriodRange.parse(
            request.GET.get("start"), request.GET.get("end"), access.plan
        )
    except ValueError as error:
        return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")
    content, content_type, filename = documents.export(
        kind, access.plan, period_range, timezone.now()
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
