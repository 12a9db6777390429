"""Fields the API's serializers share."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tracker.exchange.common import figure_text


@extend_schema_field(
    {
        "type": "string",
        "format": "decimal",
        "pattern": r"^-?[0-9]+(\.[0-9]+)?$",
        "example": "16093",
        "description": "A decimal number as text, without trailing zeros.",
    }
)
class FigureField(serializers.DecimalField):
    """A figure as the database keeps it (20 digits, 4 decimals), written as plain decimal
    text without trailing zeros ("16093", "28.5714"); read from text or a JSON number."""

    def __init__(self, **kwargs):
        super().__init__(max_digits=20, decimal_places=4, **kwargs)

    def to_representation(self, value):
        return figure_text(value)


class CategorySerializer(serializers.Serializer):
    """A category of a breakdown (women; Mopti), named by its dimension's code and its own."""

    dimension = serializers.SlugField(max_length=40, source="dimension.code")
    code = serializers.SlugField(max_length=40)
    name = serializers.CharField(read_only=True)


class PersonField(serializers.Field):
    """Who did something to a record, as their name; null on a public plan's page."""

    def to_representation(self, user):
        return user.get_full_name() or user.username


extend_schema_field(OpenApiTypes.STR)(PersonField)
