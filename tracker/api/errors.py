"""Every refusal of the API as JSON, in the request's language: {"detail": what happened and
what to do, "code": a stable word for programs}, plus "errors" ({field: [messages]}) for
input the services or the serializers refuse, and "saved_by" / "saved_at" for a stale version
(409). A refusal of the door (tracker.access) keeps its own words."""

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from tracker.services import StaleVersionError


def _field_errors(error):
    """{field: [messages]} of a Django ValidationError; "non_field_errors" for the rest."""
    if hasattr(error, "error_dict"):
        return {
            ("non_field_errors" if field == NON_FIELD_ERRORS else field): messages
            for field, messages in error.message_dict.items()
        }
    return {"non_field_errors": error.messages}


def _from_validation_error(error):
    if isinstance(error, StaleVersionError):
        return status.HTTP_409_CONFLICT, {
            "detail": error.messages[0],
            "code": "stale",
            "saved_by": str(error.saved_by),
            "saved_at": error.saved_at.isoformat() if error.saved_at else None,
        }
    errors = _field_errors(error)
    messages = [message for field_messages in errors.values() for message in field_messages]
    code = getattr(error, "code", None) or "invalid"
    return status.HTTP_400_BAD_REQUEST, {
        "detail": " ".join(messages) if messages else _("The request was refused."),
        "code": code,
        "errors": errors,
    }


def _from_api_exception(exc):
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = f"{exc.wait:.0f}"
    if isinstance(exc.detail, dict | list):
        body = {
            "detail": _("Correct the fields named in errors."),
            "code": "invalid",
            "errors": exc.detail
            if isinstance(exc.detail, dict)
            else {"non_field_errors": exc.detail},
        }
    else:
        body = {"detail": str(exc.detail), "code": exc.detail.code or exc.default_code}
    return exc.status_code, body, headers


def exception_handler(exc, context):
    headers = {}
    if isinstance(exc, ValidationError):
        code, body = _from_validation_error(exc)
    elif isinstance(exc, PermissionDenied):
        message = str(exc) or _("You may not do this.")
        code, body = status.HTTP_403_FORBIDDEN, {"detail": message, "code": "permission_denied"}
    elif isinstance(exc, Http404):
        code, body = (
            status.HTTP_404_NOT_FOUND,
            {
                "detail": _("Nothing was found at this address."),
                "code": "not_found",
            },
        )
    elif isinstance(exc, exceptions.APIException):
        code, body, headers = _from_api_exception(exc)
    else:
        return None
    set_rollback()
    return Response(body, status=code, headers=headers)
