"""Reading the plans, their results framework and their reporting periods."""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, viewsets

from tracker.access import Right, SignInRequired, has_right, plan_access
from tracker.exchange.common import parse_period
from tracker.models import Axis, Indicator, Opportunity, Plan, ReportingPeriod, Result

from .. import serializers
from ..door import SIGN_IN, PlanDoor, UserLanguage

PLAN_SLUG = OpenApiParameter(
    "plan_slug", str, OpenApiParameter.PATH, description="The plan's slug: mali-2019-2023."
)
CODE = r"[0-9A-Za-z]+(?:[.-][0-9A-Za-z]+)*"


@extend_schema(tags=["plans"])
class PlanViewSet(UserLanguage, viewsets.ReadOnlyModelViewSet):
    """The plans you may read: every plan with a role, the public ones without a token."""

    serializer_class = serializers.PlanSerializer
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"

    def get_queryset(self):
        plans = Plan.objects.select_related("lead_institution").order_by("country", "-start_year")
        if has_right(self.request.user, Right.READ_PUBLISHED):
            return plans
        return plans.filter(is_public=True)

    def get_object(self):
        """One plan, through the door: a visitor is asked for a token, an account without a
        role is refused with what to do."""
        try:
            return plan_access(self.request, self.kwargs["slug"], Right.READ_PUBLISHED).plan
        except SignInRequired:
            raise exceptions.NotAuthenticated(SIGN_IN) from None


class PlanPart(PlanDoor, viewsets.ReadOnlyModelViewSet):
    """A list of one kind of the plan's records, and one of them by its code."""

    default_right = Right.READ_PUBLISHED
    model = None

    def get_queryset(self):
        if self.schema_only:
            return self.model.objects.none()
        return self.plan_records(self.access.plan)


@extend_schema(parameters=[PLAN_SLUG], tags=["framework"])
class AxisViewSet(PlanPart):
    """The plan's priority axes."""

    serializer_class = serializers.AxisSerializer
    model = Axis
    lookup_field = "number"
    lookup_value_regex = "[0-9]+"

    def plan_records(self, plan):
        return plan.axes.order_by("number")


@extend_schema(parameters=[PLAN_SLUG], tags=["framework"])
class ResultViewSet(PlanPart):
    """The plan's results, each under its axis."""

    serializer_class = serializers.ResultSerializer
    model = Result
    lookup_field = "code"
    lookup_value_regex = CODE

    def plan_records(self, plan):
        return Result.objects.filter(plan=plan).select_related("axis").order_by("code")


@extend_schema(parameters=[PLAN_SLUG], tags=["framework"])
class OpportunityViewSet(PlanPart):
    """The plan's opportunities (sub-results), each under its result."""

    serializer_class = serializers.OpportunitySerializer
    model = Opportunity
    lookup_field = "code"
    lookup_value_regex = CODE

    def plan_records(self, plan):
        return Opportunity.objects.filter(plan=plan).select_related("result").order_by("code")


@extend_schema(parameters=[PLAN_SLUG], tags=["framework"])
class IndicatorViewSet(PlanPart):
    """The indicators with their baseline, targets, dimensions, tags and institutions."""

    serializer_class = serializers.IndicatorSerializer
    model = Indicator
    lookup_field = "code"
    lookup_value_regex = CODE

    def plan_records(self, plan):
        return Indicator.objects.for_api(plan)


@extend_schema(parameters=[PLAN_SLUG], tags=["periods"])
class PeriodViewSet(PlanPart):
    """The reporting periods, oldest first: each year's quarters, then the whole year."""

    default_right = Right.READ
    serializer_class = serializers.PeriodSerializer
    model = ReportingPeriod
    lookup_field = "key"
    lookup_value_regex = r"[0-9]{4}(?:-?Q[1-4])?"

    def plan_records(self, plan):
        return plan.reporting_periods.chronological()

    def get_object(self):
        try:
            year, quarter = parse_period(self.kwargs["key"])
        except ValueError:
            raise Http404 from None
        period = self.get_queryset().filter(year=year, quarter=quarter).first()
        if period is None:
            raise Http404
        return period
