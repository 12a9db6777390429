"""What the API shows of a value and what it accepts to write one. Writes go through the
services (tracker.services), which check the figures, the door and closed periods; these
serializers only read the JSON into the services' arguments."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tracker import progress, services
from tracker.models import DimensionValue, IndicatorValue, Source, ValueComment, limits

from .fields import CategorySerializer, FigureField, PersonField
from .serializers import CitationSerializer


class CellSerializer(serializers.Serializer):
    """One cell of a breakdown: a category (women), or the crossing of two (women × Mopti)."""

    category = CategorySerializer()
    cross_category = CategorySerializer(allow_null=True, required=False, default=None)
    value = FigureField(min_value=0)


class ValueSerializer(serializers.ModelSerializer):
    """A value as the API shows it. `note` (the secretariat's internal note) is null for whoever
    may not read it; who entered, submitted and validated it, on a public plan's view."""

    indicator = serializers.CharField(source="indicator.code", read_only=True)
    period = serializers.CharField(source="period.key", read_only=True)
    value = FigureField(allow_null=True)
    numerator = FigureField(allow_null=True)
    denominator = FigureField(allow_null=True)
    citation = CitationSerializer(allow_null=True, read_only=True)
    note = serializers.SerializerMethodField()
    breakdown = CellSerializer(source="breakdown_rows", many=True, read_only=True)
    entered_by = PersonField(allow_null=True, read_only=True)
    submitted_by = PersonField(allow_null=True, read_only=True)
    validated_by = PersonField(allow_null=True, read_only=True)

    class Meta:
        model = IndicatorValue
        fields = [
            "id",
            "indicator",
            "period",
            "status",
            "value",
            "numerator",
            "denominator",
            "qualifier",
            "breakdown",
            "narrative",
            "source",
            "citation",
            "note",
            "return_reason",
            "entered_by",
            "submitted_by",
            "submitted_at",
            "validated_by",
            "validated_at",
            "updated_at",
            "version",
        ]
        read_only_fields = fields

    @extend_schema_field({"type": "string", "nullable": True})
    def get_note(self, record):
        access = self.context.get("access")
        return record.note if access is not None and access.can_read_internal_notes else None

    def to_representation(self, record):
        data = super().to_representation(record)
        access = self.context.get("access")
        if access is None or access.public_view:
            for name in ("entered_by", "submitted_by", "validated_by"):
                data[name] = None
        return data


class ValueWriteSerializer(serializers.Serializer):
    """A draft to create (indicator, period and the figure) or to change (`version`, the
    version you read, and only the fields you change). `note` null or absent leaves the
    internal note as it is; `breakdown` absent leaves the cells as they are, [] removes them;
    `citation` is a publication's id, null for none, absent to leave it."""

    indicator = serializers.CharField(max_length=20, required=False)
    period = serializers.CharField(
        max_length=10, required=False, help_text="2021-Q3 (or 2021Q3), or 2021 for the year."
    )
    value = FigureField(allow_null=True, required=False)
    numerator = FigureField(allow_null=True, required=False)
    denominator = FigureField(allow_null=True, required=False)
    qualifier = serializers.ChoiceField(choices=progress.Qualifier.choices, required=False)
    narrative = serializers.CharField(allow_blank=True, max_length=limits.NARRATIVE, required=False)
    source = serializers.CharField(allow_blank=True, max_length=limits.SOURCE, required=False)
    note = serializers.CharField(
        allow_blank=True, allow_null=True, max_length=limits.NOTE, required=False
    )
    citation = serializers.PrimaryKeyRelatedField(
        queryset=Source.objects.all(), allow_null=True, required=False
    )
    breakdown = CellSerializer(many=True, required=False)
    reason = serializers.CharField(
        allow_blank=True,
        max_length=limits.REASON,
        required=False,
        default="",
        help_text="Why a validated value is changed (the secretariat must give one).",
    )
    version = serializers.IntegerField(
        min_value=0,
        required=False,
        default=0,
        help_text="The version you read: 0 to create; a change needs the value's version.",
    )

    def value_input(self, record=None):
        """services.ValueInput: the fields given, and the stored ones (of `record`) for the
        others."""
        given = self.validated_data

        def pick(name, default):
            return given.get(name, default)

        stored = record or IndicatorValue()
        return services.ValueInput(
            value=pick("value", stored.value),
            numerator=pick("numerator", stored.numerator),
            denominator=pick("denominator", stored.denominator),
            qualifier=pick("qualifier", stored.qualifier),
            narrative=pick("narrative", stored.narrative),
            source=pick("source", stored.source),
            note=given.get("note"),
            citation=pick("citation", services.UNCHANGED),
            breakdown=_cells(given["breakdown"]) if "breakdown" in given else None,
        )


def _cells(cells):
    """{(category id, crossed category id or None): amount} of the breakdown's cells, reading
    the categories by their codes (one query)."""
    refs = {
        (category["dimension"]["code"], category["code"])
        for cell in cells
        for category in (cell["category"], cell["cross_category"])
        if category
    }
    found = {
        (dimension, code): pk
        for pk, dimension, code in DimensionValue.objects.filter(
            code__in={code for _dimension, code in refs}
        ).values_list("pk", "dimension__code", "code")
    }
    unknown = sorted(f"{dimension}/{code}" for dimension, code in refs - set(found))
    if unknown:
        raise serializers.ValidationError(
            {"breakdown": _("No such category: %(names)s.") % {"names": ", ".join(unknown)}}
        )

    def key(category):
        return found[(category["dimension"]["code"], category["code"])] if category else None

    cells_by_key = {}
    for cell in cells:
        cell_key = (key(cell["category"]), key(cell["cross_category"]))
        if cell_key in cells_by_key:
            raise serializers.ValidationError(
                {"breakdown": _("A cell is given twice; give each cell once.")}
            )
        cells_by_key[cell_key] = cell["value"]
    return cells_by_key


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1, help_text="The version you read: a value changed since is refused (409)."
    )


class ReturnSerializer(VersionSerializer):
    reason = serializers.CharField(max_length=limits.REASON, help_text="What to correct.")


class CommentSerializer(serializers.ModelSerializer):
    author = PersonField(allow_null=True, read_only=True)
    text = serializers.CharField(max_length=limits.COMMENT)

    class Meta:
        model = ValueComment
        fields = ["id", "author", "text", "created_at"]
        read_only_fields = ["id", "author", "created_at"]
