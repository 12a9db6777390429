"""One value's timeline, and the evidence files behind it."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404

from tracker.access import Right, plan_view
from tracker.models import EvidenceFile, IndicatorValue, SpreadsheetImport
from tracker.timeline import value_timeline
from tracker.views.plans import render_plan_page


@plan_view(Right.READ)
def value_history(request, access, pk):
    value = get_object_or_404(
        IndicatorValue.objects.select_related("indicator", "period"),
        pk=pk,
        period__plan=access.plan,
    )
    return render_plan_page(
        request,
        access,
        "tracker/value_history.html",
        {
            "value": value,
            "timeline": value_timeline(value),
            # The spreadsheets that changed it, kept as evidence of the import.
            "imports": SpreadsheetImport.objects.committed_into(value),
        },
    )


@plan_view(Right.READ)
def evidence_file(request, access, pk):
    evidence = get_object_or_404(
        EvidenceFile.objects.select_related("indicator_value__period"),
        pk=pk,
        indicator_value__period__plan=access.plan,
    )
    if not evidence.file:
        raise Http404
    return FileResponse(
        evidence.file.open("rb"), as_attachment=True, filename=evidence.original_name
    )
