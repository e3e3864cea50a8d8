"""Authentication of API requests by an API key sent in a header.

`Authorization: Bearer <key>` or `X-API-Key: <key>`. A key in the query
string is refused even when a header is present too, since URLs end up in
logs. Keys are looked up by their hash and never logged.
"""

from dataclasses import dataclass

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed

from herow_segments.accounts.models import ApiKey
from herow_segments.accounts.services import KEY_PREFIX, find_api_key, touch_api_key

QUERY_KEY_NAMES = frozenset(("api_key", "apikey", "key", "token", "access_token"))


@dataclass(frozen=True)
class ApiClient:
    """The caller of an API request: the system holding one API key."""

    api_key: ApiKey

    is_authenticated = True
    is_anonymous = False

    @property
    def company(self):
        return self.api_key.company


class ApiKeyAuthentication(BaseAuthentication):
    """Accept a valid, unrevoked key; request.auth is then the ApiKey."""

    def authenticate(self, request) -> tuple[ApiClient, ApiKey] | None:
        refuse_key_in_query(request.query_params)
        raw_key = read_key(request.META)
        if raw_key is None:
            return None
        api_key = find_api_key(raw_key)
        if api_key is None:
            raise AuthenticationFailed("The API key is not valid.", "invalid_key")
        if api_key.is_revoked:
            raise AuthenticationFailed("This API key was revoked.", "revoked_key")
        touch_api_key(api_key)
        return ApiClient(api_key), api_key

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'


def read_key(meta: dict) -> str | None:
    """Return the key sent in the headers, or None when there is none."""
    authorization = meta.get("HTTP_AUTHORIZATION", "")
    if authorization:
        scheme, _, credentials = authorization.strip().partition(" ")
        if scheme.lower() != "bearer" or not credentials.strip():
            raise AuthenticationFailed(
                "Send the key as 'Authorization: Bearer <key>'.", "invalid_key"
            )
        return credentials.strip()
    header_key = meta.get("HTTP_X_API_KEY", "").strip()
    return header_key or None


def refuse_key_in_query(query_params) -> None:
    for name, values in query_params.lists():
        if name.lower() in QUERY_KEY_NAMES or any(
            KEY_PREFIX in value for value in values
        ):
            raise AuthenticationFailed(
                "An API key in the URL is refused, since URLs are logged; send "
                "it in the Authorization header and revoke the exposed key.",
                "key_in_url",
            )


class ApiKeySchemeExtension(OpenApiAuthenticationExtension):
    """Describe the key authentication in the OpenAPI schema."""

    target_class = ApiKeyAuthentication
    name = ["bearerAuth", "apiKeyHeader"]

    def get_security_requirement(self, auto_schema):
        # Either header is enough: two requirements, not one with both.
        return [{name: []} for name in self.name]

    def get_security_definition(self, auto_schema):
        return [
            {"type": "http", "scheme": "bearer", "bearerFormat": "hsk_live_…"},
            {"type": "apiKey", "in": "header", "name": "X-API-Key"},
        ]
