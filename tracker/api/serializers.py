"""What the API shows of the plans, their framework and periods. Framework content comes in
the request's language (French by default), like the pages; internal notes never."""

from rest_framework import serializers

from tracker.models import (
    AlignmentTag,
    AnnualTarget,
    Axis,
    Dimension,
    Indicator,
    Institution,
    Opportunity,
    Plan,
    ReportingPeriod,
    Result,
    ScaleLevel,
    Source,
)

from .fields import FigureField


class InstitutionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Institution
        fields = ["acronym", "name", "kind"]


class CitationSerializer(serializers.ModelSerializer):
    """A publication a figure, a baseline or an indicator's wording comes from."""

    text = serializers.CharField(source="citation", read_only=True)

    class Meta:
        model = Source
        fields = [
            "id",
            "publisher",
            "title",
            "published_on",
            "date_precision",
            "address",
            "kind",
            "text",
        ]


class PlanSerializer(serializers.ModelSerializer):
    lead_institution = InstitutionSerializer(allow_null=True, read_only=True)

    class Meta:
        model = Plan
        fields = [
            "slug",
            "country",
            "title",
            "start_year",
            "end_year",
            "adopted_in",
            "signed_on",
            "lead_institution",
            "aim",
            "is_public",
        ]


class AxisSerializer(serializers.ModelSerializer):
    class Meta:
        model = Axis
        fields = ["number", "name", "objective"]


class ResultSerializer(serializers.ModelSerializer):
    axis = serializers.IntegerField(source="axis.number", read_only=True)

    class Meta:
        model = Result
        fields = ["code", "statement", "axis"]


class OpportunitySerializer(serializers.ModelSerializer):
    result = serializers.CharField(source="result.code", read_only=True)

    class Meta:
        model = Opportunity
        fields = ["code", "statement", "result"]


class TargetSerializer(serializers.ModelSerializer):
    value = FigureField()

    class Meta:
        model = AnnualTarget
        fields = ["year", "value"]


class TagSerializer(serializers.ModelSerializer):
    class Meta:
        model = AlignmentTag
        fields = ["framework", "code", "name"]


class ScaleLevelSerializer(serializers.ModelSerializer):
    class Meta:
        model = ScaleLevel
        fields = ["value", "name"]


class DimensionValueSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class DimensionSerializer(serializers.ModelSerializer):
    categories = DimensionValueSerializer(source="values", many=True, read_only=True)

    class Meta:
        model = Dimension
        fields = ["code", "name", "categories"]


class BaselineSerializer(serializers.Serializer):
    value = FigureField(source="baseline_value", allow_null=True)
    year = serializers.IntegerField(source="baseline_year", allow_null=True)
    citation = CitationSerializer(source="baseline_citation", allow_null=True)


class IndicatorSerializer(serializers.ModelSerializer):
    axis = serializers.IntegerField(source="result.axis.number", read_only=True)
    result = serializers.CharField(source="result.code", read_only=True)
    opportunity = serializers.CharField(source="opportunity.code", allow_null=True, read_only=True)
    parent = serializers.CharField(source="parent.code", allow_null=True, read_only=True)
    baseline = BaselineSerializer(source="*", read_only=True)
    target_value = FigureField(allow_null=True, read_only=True)
    annual_targets = TargetSerializer(many=True, read_only=True)
    responsible_institutions = InstitutionSerializer(many=True, read_only=True)
    dimensions = DimensionSerializer(many=True, read_only=True)
    alignment_tags = TagSerializer(many=True, read_only=True)
    scale_levels = ScaleLevelSerializer(many=True, read_only=True)
    citation = CitationSerializer(allow_null=True, read_only=True)

    class Meta:
        model = Indicator
        fields = [
            "code",
            "name",
            "definition",
            "axis",
            "result",
            "opportunity",
            "parent",
            "unit_kind",
            "aggregation",
            "reporting_frequency",
            "direction",
            "baseline",
            "target_value",
            "annual_targets",
            "means_of_verification",
            "data_source",
            "responsible_institutions",
            "dimensions",
            "alignment_tags",
            "scale_levels",
            "citation",
        ]


class PeriodSerializer(serializers.ModelSerializer):
    key = serializers.CharField(read_only=True, help_text="2021-Q1, or 2021 for the whole year.")

    class Meta:
        model = ReportingPeriod
        fields = [
            "key",
            "year",
            "quarter",
            "start_date",
            "end_date",
            "due_on",
            "status",
            "closed_at",
        ]


# Completeness (DESIGN.md §3): institutions × periods, from tracker.completeness.


class CompletenessCellSerializer(serializers.Serializer):
    period = serializers.CharField(source="period.key")
    due = serializers.IntegerField()
    reported = serializers.IntegerField()
    draft = serializers.IntegerField()
    submitted = serializers.IntegerField()
    validated = serializers.IntegerField()
    returned = serializers.IntegerField()
    share = FigureField(
        allow_null=True, help_text="Reported ÷ due in percentage points, one decimal."
    )


class CompletenessRowSerializer(serializers.Serializer):
    institution = InstitutionSerializer()
    cells = CompletenessCellSerializer(many=True)


class CompletenessTotalSerializer(serializers.Serializer):
    period = serializers.CharField(source="period.key")
    due = serializers.IntegerField()
    reported = serializers.IntegerField()
    share = FigureField(allow_null=True)


class CompletenessSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    rows = CompletenessRowSerializer(many=True)
    totals = CompletenessTotalSerializer(many=True)
