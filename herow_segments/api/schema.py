"""Helpers that describe API views in the OpenAPI schema.

`error_responses(400, 404)` documents those statuses, plus the 401, 403
and 429 every authenticated endpoint can answer, with the shared error
shape and an example of each.
"""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import get_doc
from drf_spectacular.utils import OpenApiExample, OpenApiResponse

from herow_segments.api.serializers import ErrorSerializer

ALWAYS = (401, 403, 429)
# What an endpoint that reads a body can answer about the body itself.
BODY_ERRORS = (411, 413, 415)
MEANINGS = {
    400: ("invalid", "The request is malformed or a value is not valid."),
    401: ("not_authenticated", "The API key is missing, wrong or revoked."),
    403: ("permission_denied", "The key lacks the scope or the IP is not allowed."),
    404: ("not_found", "No such object in this company."),
    405: ("method_not_allowed", "The method is not allowed here."),
    409: ("conflict", "The request conflicts with the current state."),
    411: ("length_required", "A chunked body needs a Content-Length on this server."),
    413: ("body_too_large", "The request body is larger than allowed."),
    415: (
        "unsupported_media_type",
        "The body is not of a supported media type or content encoding.",
    ),
    422: ("unprocessable", "The request is well formed but cannot be applied."),
    429: ("throttled", "Too many requests for this key; see Retry-After."),
}


def error_example(status: int) -> OpenApiExample:
    code, message = MEANINGS[status]
    return OpenApiExample(
        f"Error {status}",
        value={"error": {"code": code, "message": message, "details": None}},
        response_only=True,
        status_codes=[str(status)],
    )


def error_responses(*statuses: int) -> dict[int, OpenApiResponse]:
    """Return schema responses for the given error statuses and ALWAYS."""
    chosen = sorted(set(statuses) | set(ALWAYS))
    return {
        status: OpenApiResponse(
            ErrorSerializer,
            description=MEANINGS[status][1],
            examples=[error_example(status)],
        )
        for status in chosen
    }


class ApiAutoSchema(AutoSchema):
    """Describe operations by their summary and description only.

    drf-spectacular falls back on the view class's docstring, which is
    written for developers of this code, not for API clients.
    """

    def get_description(self) -> str:
        handler = getattr(self.view, getattr(self.view, "action", self.method.lower()))
        return get_doc(handler)
