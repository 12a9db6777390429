"""One value's timeline, and the evidence files behind it."""

from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404, render

from tracker import services
from tracker.models import EvidenceFile, IndicatorValue


def value_history(request, slug, pk):
    value = get_object_or_404(
        IndicatorValue.objects.select_related("indicator", "period__plan"),
        pk=pk,
        period__plan__slug=slug,
    )
    services.require_role(request.user)
    return render(
        request,
        "tracker/value_history.html",
        {"plan": value.period.plan, "value": value, "timeline": services.value_timeline(value)},
    )


def evidence_file(request, slug, pk):
    evidence = get_object_or_404(
        EvidenceFile.objects.select_related("indicator_value__period"),
        pk=pk,
        indicator_value__period__plan__slug=slug,
    )
    services.require_role(request.user)
    if not evidence.file:
        raise PermissionDenied
    return FileResponse(
        evidence.file.open("rb"), as_attachment=True, filename=evidence.original_name
    )
