"""The one error shape of the API and the exception handler that builds it.

Every error answer reads `{"error": {"code", "message", "details"}}`:
`code` is a stable machine-readable word (DRF's codes, such as
`not_authenticated`, `permission_denied`, `not_found`, `parse_error`,
`unsupported_media_type`, `throttled`, plus `invalid` for validation and
the codes views give to `ApiError`), `message` a sentence for people and
`details` field errors, invalid items or null.
"""

import logging
import math

from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
    ValidationError,
)
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response

logger = logging.getLogger(__name__)


class ApiError(exceptions.APIException):
    """An answer of the API other than success, in the shared shape."""

    def __init__(
        self,
        status_code: int,
        code: str,
        message: str,
        details=None,
        retry_after: int | None = None,
    ):
        super().__init__(detail=message, code=code)
        self.status_code = status_code
        self.details = details
        self.retry_after = retry_after


def error_body(code: str, message: str, details=None) -> dict:
    return {"error": {"code": code, "message": message, "details": details}}


def error_response(status_code: int, code: str, message: str, details=None):
    return Response(error_body(code, message, details), status=status_code)


def handle_exception(exc: Exception, context: dict) -> Response:
    """Turn any exception raised in an API view into the shared shape."""
    api_exception = as_api_exception(exc)
    if api_exception is None:
        view = context.get("view")
        logger.error("api view crashed view=%s", type(view).__name__, exc_info=exc)
        return error_response(
            status.HTTP_500_INTERNAL_SERVER_ERROR,
            "server_error",
            "The request failed on our side; try again later.",
        )
    response = error_response(api_exception.status_code, *describe(api_exception))
    retry_after = getattr(api_exception, "retry_after", None) or getattr(
        api_exception, "wait", None
    )
    if retry_after:
        response["Retry-After"] = str(max(1, math.ceil(retry_after)))
    if api_exception.status_code == status.HTTP_401_UNAUTHORIZED:
        response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def as_api_exception(exc: Exception) -> exceptions.APIException | None:
    if isinstance(exc, exceptions.APIException):
        return exc
    if isinstance(exc, Http404):
        return exceptions.NotFound(str(exc) or "Nothing matches this address.")
    if isinstance(exc, PermissionDenied):
        return exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, RequestDataTooBig):
        return body_too_large()
    if isinstance(exc, ValidationError):
        return exceptions.ValidationError(exc.messages)
    if isinstance(exc, SuspiciousOperation):
        return ApiError(400, "bad_request", "The request could not be read.")
    return None


def body_too_large() -> ApiError:
    return ApiError(413, "body_too_large", "The request body is too large.")


def describe(exc: exceptions.APIException) -> tuple[str, str, object]:
    """Return the code, message and details of an API exception."""
    if isinstance(exc, ApiError):
        return exc.detail.code, str(exc.detail), exc.details
    if isinstance(exc, exceptions.ValidationError):
        return "invalid", summarise_validation(exc.detail), exc.detail
    if isinstance(exc, exceptions.Throttled):
        message = "Too many requests for this API key; retry after a pause."
        return "throttled", message, None
    return getattr(exc.detail, "code", "error"), str(exc.detail), None


def summarise_validation(detail) -> str:
    """Return the first validation message, prefixed with its field."""
    path = []
    while isinstance(detail, dict | list) and detail:
        if isinstance(detail, dict):
            field, detail = next(iter(detail.items()))
            if field != "non_field_errors":
                path.append(str(field))
        else:
            detail = detail[0]
    message = str(detail) or "The request is not valid."
    return f"{'.'.join(path)}: {message}" if path else message
