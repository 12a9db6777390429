"""Values: reading them (validated ones only on a public plan's view), writing drafts, and the
workflow (submit, validate, return, comment), each through the services the pages use."""

from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from tracker.access import Right
from tracker.exchange.common import parse_period
from tracker.models import IndicatorValue

from .. import workflow
from ..door import PlanDoor
from ..value_serializers import (
    CommentSerializer,
    ReturnSerializer,
    ValueSerializer,
    ValueWriteSerializer,
    VersionSerializer,
)
from .framework import PLAN_SLUG

FILTERS = [
    OpenApiParameter("period", str, description="2021-Q3 (or 2021Q3), or 2021 for the year."),
    OpenApiParameter("year", int, description="Every period of the year."),
    OpenApiParameter("indicator", str, description="An indicator's code."),
    OpenApiParameter("status", str, enum=IndicatorValue.Status.values),
]
COMMENTS_WRITABLE = workflow.add_comment is not None


@extend_schema(parameters=[PLAN_SLUG], tags=["values"])
@extend_schema_view(
    list=extend_schema(parameters=FILTERS),
    create=extend_schema(request=ValueWriteSerializer, responses={201: ValueSerializer}),
    partial_update=extend_schema(request=ValueWriteSerializer, responses=ValueSerializer),
    submit=extend_schema(request=VersionSerializer, responses=ValueSerializer),
    validate=extend_schema(request=VersionSerializer, responses=ValueSerializer),
    return_for_correction=extend_schema(request=ReturnSerializer, responses=ValueSerializer),
)
class ValueViewSet(
    PlanDoor,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """The plan's values, oldest period first: on a public plan without a token, the
    validated ones only. Figures are decimal text; `qualifier` says whether a figure is exact
    or a bound; `note` is null unless you may read the secretariat's internal notes."""

    serializer_class = ValueSerializer
    http_method_names = ["get", "post", "patch"]
    default_right = Right.READ_PUBLISHED
    rights = {
        "create": Right.ENTER,
        "partial_update": Right.ENTER,
        "submit": Right.ENTER,
        "validate": Right.VALIDATE,
        "return_for_correction": Right.VALIDATE,
        "comments": Right.READ,
    }

    def get_queryset(self):
        if self.schema_only:
            return IndicatorValue.objects.none()
        values = IndicatorValue.objects.for_api(self.access.plan)
        return values.validated() if self.access.public_view else values

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "access": getattr(self, "access", None)}

    def filter_queryset(self, values):
        query = self.request.query_params
        try:
            if query.get("period"):
                year, quarter = parse_period(query["period"])
                values = values.filter(period__year=year, period__quarter=quarter)
            if query.get("year"):
                values = values.filter(period__year=int(query["year"]))
        except ValueError as error:
            raise ValidationError({"period": str(error)}) from None
        if query.get("indicator"):
            values = values.filter(indicator__code=query["indicator"])
        if query.get("status"):
            values = values.filter(status=query["status"])
        return values

    def _shown(self, record, code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=record.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    def _input(self, serializer_class):
        given = serializer_class(data=self.request.data)
        given.is_valid(raise_exception=True)
        return given

    def create(self, request, plan_slug):
        """Create a draft (indicator, period, figure; `version` 0). A value that exists
        already is refused with who saved it (409). Members write their institution's
        indicators, in open periods; the figure must fit the indicator's unit."""
        write = self._input(ValueWriteSerializer)
        record = workflow.create_value(user=request.user, plan=self.access.plan, write=write)
        return self._shown(record, status.HTTP_201_CREATED)

    def partial_update(self, request, plan_slug, pk):
        """Change a draft or a returned value: give the `version` you read and the fields you
        change. A value changed since is refused (409) with who changed it and when; a
        validated value is the secretariat's to change, with a `reason`."""
        write = self._input(ValueWriteSerializer)
        record = workflow.change_value(user=request.user, record=self.get_object(), write=write)
        return self._shown(record)

    @action(detail=True, methods=["post"])
    def submit(self, request, plan_slug, pk):
        """Send a draft or returned value to the secretariat (the `version` you read)."""
        given = self._input(VersionSerializer).validated_data
        record = workflow.submit_value(user=request.user, record=self.get_object(), **given)
        return self._shown(record)

    @action(detail=True, methods=["post"])
    def validate(self, request, plan_slug, pk):
        """Validate a submitted value (the secretariat; never a value you entered or
        submitted yourself). The `version` you looked at: a value changed since is refused."""
        given = self._input(VersionSerializer).validated_data
        record = workflow.validate_value(user=request.user, record=self.get_object(), **given)
        return self._shown(record)

    @action(detail=True, methods=["post"], url_path="return")
    def return_for_correction(self, request, plan_slug, pk):
        """Return a submitted value to its institution with the `reason` to correct it (the
        secretariat; never a value you entered or submitted yourself)."""
        given = self._input(ReturnSerializer).validated_data
        record = workflow.return_value(user=request.user, record=self.get_object(), **given)
        return self._shown(record)

    @extend_schema(methods=["GET"], responses=CommentSerializer(many=True))
    @extend_schema(methods=["POST"], request=CommentSerializer, responses={201: CommentSerializer})
    @action(detail=True, methods=["get", "post"] if COMMENTS_WRITABLE else ["get"])
    def comments(self, request, plan_slug, pk):
        """The value's comments, oldest first; post one to add to the thread."""
        record = self.get_object()
        if request.method == "POST":
            given = self._input(CommentSerializer).validated_data
            comment = workflow.comment_on(user=request.user, record=record, text=given["text"])
            return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)
        page = self.paginate_queryset(record.comments.select_related("author").order_by("pk"))
        return self.get_paginated_response(CommentSerializer(page, many=True).data)
