"""The places and events API."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response

from events import api_examples as examples
from events import services
from events.models import Place
from events.serializers import (
    EventBatchResultSerializer,
    EventBatchSerializer,
    PlaceFilterSerializer,
    PlacePageSerializer,
    PlaceSerializer,
    PlaceWriteSerializer,
)
from herow_segments.accounts.models import ApiScope
from herow_segments.accounts.scoping import get_scoped_or_404
from herow_segments.api.errors import ApiError
from herow_segments.api.idempotency import idempotent
from herow_segments.api.pagination import encode_cursor, read_cursor, read_limit
from herow_segments.api.permissions import scopes_required
from herow_segments.api.schema import BODY_ERRORS, error_responses
from herow_segments.api.serializers import validated
from herow_segments.api.views import ApiView

PlaceScope = scopes_required(read=ApiScope.SEGMENTS_READ, write=ApiScope.SEGMENTS_WRITE)
EventScope = scopes_required(read=ApiScope.EVENTS_WRITE, write=ApiScope.EVENTS_WRITE)
PLACE_PAGE = (100, 1_000)


def place_url(request, place: Place) -> str:
    return request.build_absolute_uri(reverse("api:place-detail", args=[place.pk]))


def save_or_conflict(place: Place, tags: list[str]) -> Place:
    """Save the place, answering 409 when its external ID is taken."""
    taken = Place.all_companies.filter(
        company_id=place.company_id, external_id=place.external_id
    ).exclude(pk=place.pk)
    if place.external_id and taken.exists():
        raise external_id_taken()
    try:
        with transaction.atomic():
            return services.save_place(place, tags)
    except IntegrityError:
        raise external_id_taken() from None


def external_id_taken() -> ApiError:
    message = "A place with this external ID already exists."
    return ApiError(409, "external_id_taken", message, {"external_id": [message]})


class PlaceListView(ApiView):
    permission_classes = [PlaceScope]

    @extend_schema(
        operation_id="list_places",
        summary="List places",
        parameters=[
            PlaceFilterSerializer,
            OpenApiParameter("cursor", str, description="The previous next_cursor."),
            OpenApiParameter("limit", int, description="Items per page, 100 default."),
        ],
        responses={200: PlacePageSerializer, **error_responses(400)},
        examples=examples.PLACE_LIST,
    )
    def get(self, request):
        filters = validated(PlaceFilterSerializer, request.query_params)
        position = read_cursor(request.query_params, "cursor", "places", (int,))
        limit = read_limit(request.query_params, *PLACE_PAGE)

        rows = list(services.page_of_places(filters, position, limit + 1))
        has_more = len(rows) > limit
        rows = rows[:limit]

        next_cursor = encode_cursor("places", [rows[-1].pk]) if has_more else None
        results = PlaceSerializer(rows, many=True).data
        return Response({"results": results, "next_cursor": next_cursor})

    @extend_schema(
        operation_id="create_place",
        summary="Create a place",
        request=PlaceWriteSerializer,
        responses={201: PlaceSerializer, **error_responses(400, 409, *BODY_ERRORS)},
        examples=examples.PLACE_CREATE,
    )
    @idempotent
    def post(self, request):
        fields = dict(validated(PlaceWriteSerializer, request.data))
        tags = fields.pop("tags", [])

        place = save_or_conflict(Place(company=request.auth.company, **fields), tags)

        headers = {"Location": place_url(request, place)}
        return Response(PlaceSerializer(place).data, status=201, headers=headers)


class PlaceDetailView(ApiView):
    permission_classes = [PlaceScope]

    @extend_schema(
        operation_id="get_place",
        summary="Get a place",
        responses={200: PlaceSerializer, **error_responses(404)},
        examples=examples.PLACE_DETAIL,
    )
    def get(self, request, place_id: int):
        place = get_scoped_or_404(Place, pk=place_id)
        return Response(PlaceSerializer(place).data)

    @extend_schema(
        operation_id="update_place",
        summary="Change some fields of a place; tags, when given, replace all",
        request=PlaceWriteSerializer(partial=True),
        responses={
            200: PlaceSerializer,
            **error_responses(400, 404, 409, *BODY_ERRORS),
        },
        examples=examples.PLACE_UPDATE,
    )
    def patch(self, request, place_id: int):
        place = get_scoped_or_404(Place, pk=place_id)
        fields = dict(validated(PlaceWriteSerializer, request.data, partial=True))
        tags = fields.pop("tags", None)

        for name, value in fields.items():
            setattr(place, name, value)
        save_or_conflict(place, place.tag_names if tags is None else tags)

        return Response(PlaceSerializer(place).data)

    @extend_schema(
        operation_id="delete_place",
        summary="Delete a place with its events and visits",
        responses={204: None, **error_responses(404)},
    )
    def delete(self, request, place_id: int):
        place = get_scoped_or_404(Place, pk=place_id)
        services.delete_place(place)
        return Response(status=204)


class EventBatchView(ApiView):
    permission_classes = [EventScope]

    @extend_schema(
        operation_id="send_events",
        summary="Send up to 1,000 location events",
        description=(
            "Each item is checked on its own: valid items are stored even when "
            "others are rejected, and the answer lists every rejected item with "
            "its index and reason. An event sent again (the same event_id, or "
            "the same device, type, place and time) counts as a duplicate."
        ),
        request=EventBatchSerializer,
        responses={
            200: EventBatchResultSerializer,
            **error_responses(400, *BODY_ERRORS),
        },
        examples=examples.EVENTS,
    )
    @idempotent
    def post(self, request):
        items = read_event_items(request.data)

        result = services.ingest_events(request.auth.company, items)

        return Response(
            {
                "accepted": result.accepted,
                "duplicates": result.duplicates,
                "rejected": result.rejected,
            }
        )


def read_event_items(data) -> list:
    """Return the batch's items, or answer 400 for a malformed envelope."""
    limit = settings.EVENT_BATCH_MAX_ITEMS
    if not isinstance(data, dict):
        raise ApiError(
            400,
            "invalid",
            'The body must be a JSON object such as {"events": [...]}.',
        )
    if "events" not in data:
        raise ApiError(
            400,
            "invalid",
            'events: this field is required, such as {"events": [...]}.',
            {"events": ["This field is required."]},
        )
    if not isinstance(data["events"], list):
        raise ApiError(
            400,
            "invalid",
            "events: must be a list of event objects, such as "
            '{"events": [{"type": "app_open", ...}]}.',
            {"events": ["Expected a list."]},
        )
    items = data["events"]
    if not items:
        raise ApiError(400, "invalid", "events: send at least one event.")
    if len(items) > limit:
        raise ApiError(
            400,
            "too_many_events",
            f"events: at most {limit:,} events per request, not {len(items):,}.",
            {"limit": limit},
        )
    return items
