"""The OpenAPI schema (drf-spectacular) documents every refusal an operation may give, with
the one shape every error has, so that a client (and Schemathesis, in the tests) can rely on
it."""

from http import HTTPStatus

from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers

READ_ERRORS = ("400", "401", "403", "404", "429")
WRITE_ERRORS = (*READ_ERRORS, "409", "415")


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What happened and what to do, in your language.")
    code = serializers.CharField(help_text="A stable word for programs: stale, period_closed…")
    errors = serializers.DictField(
        required=False, help_text="The refused fields and why: {field: [messages]}."
    )
    saved_by = serializers.CharField(
        required=False, help_text="A stale version (409): who saved the value since."
    )
    saved_at = serializers.DateTimeField(
        required=False, allow_null=True, help_text="A stale version (409): when."
    )


class TrackerAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        codes = READ_ERRORS if self.method in ("GET", "HEAD") else WRITE_ERRORS
        for code in codes:
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    ErrorSerializer, code, ("application/json",), direction
                )
                responses[code]["description"] = HTTPStatus(int(code)).phrase
        return responses
