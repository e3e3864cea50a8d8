"""The base class of every API view and the API's own small views."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from rest_framework.exceptions import NotAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from herow_segments.accounts.models import ApiKey
from herow_segments.accounts.scoping import activate_company, deactivate_company
from herow_segments.api.authentication import ApiKeyAuthentication
from herow_segments.api.bodies import prepare_body
from herow_segments.api.errors import error_body
from herow_segments.api.negotiation import JsonOnlyNegotiation
from herow_segments.api.parsers import StrictJsonParser
from herow_segments.api.throttling import ApiKeyRateThrottle


class ApiView(APIView):
    """Authenticate a key, check scope and rate, then scope to its company.

    Subclasses set `permission_classes = [scopes_required(...)]` and may set
    `max_body_bytes` (default: the API_MAX_BODY_BYTES setting).
    """

    authentication_classes = [ApiKeyAuthentication]
    throttle_classes = [ApiKeyRateThrottle]
    parser_classes = [StrictJsonParser]
    renderer_classes = [JSONRenderer]
    content_negotiation_class = JsonOnlyNegotiation
    metadata_class = None
    max_body_bytes: int | None = None

    def dispatch(self, request, *args, **kwargs):
        self.company_token = None
        try:
            return super().dispatch(request, *args, **kwargs)
        finally:
            if self.company_token is not None:
                deactivate_company(self.company_token)

    def initial(self, request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        if not isinstance(request.auth, ApiKey):
            raise NotAuthenticated("Send an API key in the Authorization header.")
        prepare_body(
            request._request, self.max_body_bytes or settings.API_MAX_BODY_BYTES
        )
        self.company_token = activate_company(request.auth.company)


@csrf_exempt
def answer_not_found(request, *args, **kwargs):
    """Answer 404 in the API's error shape for an unknown API address."""
    body = error_body("not_found", "No API endpoint matches this address.")
    return JsonResponse(body, status=404)


def show_docs(request):
    """Render the API documentation page from the schema."""
    return render(request, "api/docs.html")
