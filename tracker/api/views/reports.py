"""Who has reported (the completeness page's grid) and the exchange exports: DHIS2
dataValueSets JSON, ADX XML, IATI 2.03 XML, the same documents as the plan's export page."""

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.response import Response
from rest_framework.views import APIView

from tracker import progress
from tracker.access import Right
from tracker.completeness import completeness_grid, default_year
from tracker.exchange import documents
from tracker.exchange.common import PeriodRange

from .. import serializers
from ..door import PlanDoor
from .framework import PLAN_SLUG


def _share(reported, due):
    share = progress.share_as_points(progress.completeness(due, reported))
    return progress.rounded(share, progress.PERCENT_PLACES)


class CompletenessView(PlanDoor, APIView):
    """Institutions × the year's periods: what each was due and has reported (submitted or
    validated), as the completeness page shows it."""

    default_right = Right.FOLLOW_COMPLETENESS

    @extend_schema(
        tags=["reports"],
        parameters=[PLAN_SLUG, OpenApiParameter("year", int)],
        responses=serializers.CompletenessSerializer,
    )
    def get(self, request, plan_slug):
        plan = self.access.plan
        periods = list(plan.reporting_periods.chronological())
        year = request.query_params.get("year", "")
        year = (
            int(year) if year.isdigit() and int(year) in plan.years else default_year(plan, periods)
        )
        grid = completeness_grid(plan, periods, year)
        for row in grid["rows"]:
            for cell in row["cells"]:
                cell["share"] = _share(cell["reported"], cell["due"])
        for total in grid["totals"]:
            total["share"] = _share(total["reported"], total["due"])
        data = {"year": year, "rows": grid["rows"], "totals": grid["totals"]}
        return Response(serializers.CompletenessSerializer(data).data)


RANGE = [
    OpenApiParameter("start", str, description="The first period: 2021Q1, or 2021 (its Q1)."),
    OpenApiParameter("end", str, description="The last period: 2021Q4, or 2021 (the year)."),
]


class ExportView(PlanDoor, APIView):
    """A document of the plan's validated figures; anyone may have a public plan's."""

    default_right = Right.READ_PUBLISHED
    kind = None

    def get(self, request, plan_slug):
        query = request.query_params
        plan = self.access.plan
        try:
            period_range = PeriodRange.parse(query.get("start"), query.get("end"), plan)
        except ValueError as error:
            raise ValidationError({"start": str(error)}) from None
        content, content_type, filename = documents.export(
            self.kind, plan, period_range, timezone.now()
        )
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


def _export_schema(media_type, ranged=True):
    return extend_schema_view(
        get=extend_schema(
            tags=["exports"],
            parameters=[PLAN_SLUG, *(RANGE if ranged else [])],
            responses={
                (200, media_type): OpenApiTypes.OBJECT if "json" in media_type else OpenApiTypes.STR
            },
        )
    )


@_export_schema("application/json")
class Dhis2View(ExportView):
    """DHIS2 dataValueSets JSON; import it with idScheme=CODE."""

    kind = "dhis2"


@_export_schema("application/adx+xml")
class AdxView(ExportView):
    """ADX XML (urn:ihe:qrph:adx:2015)."""

    kind = "adx"


@_export_schema("application/xml", ranged=False)
class IatiView(ExportView):
    """An IATI 2.03 activity file of the plan's results (every year of the plan)."""

    kind = "iati"
