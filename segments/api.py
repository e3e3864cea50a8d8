"""The segment API: segments, their members, imports and change feeds."""

from contextlib import contextmanager

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from herow_segments.accounts.models import ApiScope
from herow_segments.accounts.scoping import get_scoped_or_404
from herow_segments.api.errors import ApiError
from herow_segments.api.idempotency import idempotent
from herow_segments.api.pagination import encode_cursor, read_cursor, read_limit
from herow_segments.api.permissions import scopes_required
from herow_segments.api.schema import BODY_ERRORS, error_responses
from herow_segments.api.serializers import validated
from herow_segments.api.views import ApiView
from segments import api_examples as examples
from segments import members, services
from segments.models import (
    ImportMode,
    ImportSource,
    Segment,
    SegmentImport,
    SegmentKind,
)
from segments.parsing import ID_TYPES
from segments.serializers import (
    ChangePageSerializer,
    ImportCreateSerializer,
    ImportSerializer,
    MemberPageSerializer,
    MembersBodySerializer,
    MembershipChangeSerializer,
    SegmentCreatedSerializer,
    SegmentCreateSerializer,
    SegmentPageSerializer,
    SegmentSerializer,
    SegmentWriteSerializer,
)

SegmentScope = scopes_required(
    read=ApiScope.SEGMENTS_READ, write=ApiScope.SEGMENTS_WRITE
)
# The statuses an Idempotency-Key adds: a malformed key, a replay while the
# first request runs, and a key reused for another request.
REPLAYABLE = (400, 409, 422)
SEGMENT_PAGE = (50, 500)
MEMBER_PAGE = (1_000, 10_000)
IDEMPOTENCY = OpenApiParameter(
    "Idempotency-Key",
    {"type": "string", "pattern": "^[!-~]{1,255}$"},
    OpenApiParameter.HEADER,
    description="Any unique string; a replay within 24 hours returns the first "
    "answer and changes nothing.",
)


def cursor_parameter(name: str = "cursor") -> OpenApiParameter:
    return OpenApiParameter(
        name, str, description="The next_cursor of the previous page."
    )


def limit_parameter(default: int, maximum: int) -> OpenApiParameter:
    return OpenApiParameter(
        "limit",
        {"type": "integer", "minimum": 1, "maximum": maximum},
        description=f"Items per page, {default:,} by default.",
    )


class SegmentFilterSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=SegmentKind.choices, required=False, allow_blank=True
    )
    name = serializers.CharField(max_length=200, required=False, allow_blank=True)


@contextmanager
def answering_refusals():
    """Turn the refusals of the segment workflows into API errors."""
    try:
        yield
    except members.SegmentNameTaken as error:
        raise ApiError(409, "name_taken", str(error), {"name": [str(error)]}) from None
    except members.SegmentNotEditable as error:
        raise ApiError(409, "not_editable", str(error)) from None
    except members.NoValidMembers as error:
        invalid = [vars(item) for item in error.invalid]
        raise ApiError(
            422, "no_valid_members", str(error), {"invalid": invalid}
        ) from None
    except services.ImportRefused as error:
        raise ApiError(422, "import_refused", str(error)) from None


def segment_url(request, segment: Segment) -> str:
    return request.build_absolute_uri(reverse("api:segment-detail", args=[segment.pk]))


def member_items(rows) -> list[dict]:
    names = members.TYPE_NAMES
    return [{"type": names[id_type], "id": value} for id_type, value in rows]


class SegmentApiView(ApiView):
    permission_classes = [SegmentScope]


class SegmentListView(SegmentApiView):
    @extend_schema(
        operation_id="list_segments",
        summary="List segments",
        parameters=[
            SegmentFilterSerializer,
            cursor_parameter(),
            limit_parameter(*SEGMENT_PAGE),
        ],
        responses={200: SegmentPageSerializer, **error_responses(400)},
        examples=examples.SEGMENT_LIST,
    )
    def get(self, request):
        filters = validated(SegmentFilterSerializer, request.query_params)
        position = read_cursor(request.query_params, "cursor", "segments", (int,))
        limit = read_limit(request.query_params, *SEGMENT_PAGE)

        rows, has_more = members.page_of_segments(filters, position, limit)

        next_cursor = encode_cursor("segments", [rows[-1].pk]) if has_more else None
        results = SegmentSerializer(rows, many=True).data
        return Response({"results": results, "next_cursor": next_cursor})

    @extend_schema(
        operation_id="create_segment",
        summary="Create a segment, optionally with members",
        parameters=[IDEMPOTENCY],
        request=SegmentCreateSerializer,
        responses={
            201: SegmentCreatedSerializer,
            **error_responses(*REPLAYABLE, *BODY_ERRORS),
        },
        examples=examples.SEGMENT_CREATE,
    )
    @idempotent
    def post(self, request):
        fields = dict(validated(SegmentCreateSerializer, request.data))
        items = fields.pop("members", None)

        with answering_refusals():
            segment, report = members.create_api_segment(
                company=request.auth.company, fields=fields, items=items
            )

        body = SegmentSerializer(segment).data
        if report is not None:
            body["members_result"] = report.as_dict()
        headers = {"Location": segment_url(request, segment)}
        return Response(body, status=201, headers=headers)


class SegmentDetailView(SegmentApiView):
    @extend_schema(
        operation_id="get_segment",
        summary="Get a segment",
        responses={200: SegmentSerializer, **error_responses(404)},
        examples=examples.SEGMENT_DETAIL,
    )
    def get(self, request, segment_id: int):
        segment = get_scoped_or_404(Segment, pk=segment_id)
        return Response(SegmentSerializer(segment).data)

    @extend_schema(
        operation_id="update_segment",
        summary="Change a segment's name, description, category or objective",
        request=SegmentWriteSerializer(partial=True),
        responses={
            200: SegmentSerializer,
            **error_responses(400, 404, 409, *BODY_ERRORS),
        },
        examples=examples.SEGMENT_UPDATE,
    )
    def patch(self, request, segment_id: int):
        segment = get_scoped_or_404(Segment, pk=segment_id)
        fields = validated(SegmentWriteSerializer, request.data, partial=True)

        with answering_refusals():
            members.update_segment(segment, dict(fields))

        return Response(SegmentSerializer(segment).data)

    @extend_schema(
        operation_id="delete_segment",
        summary="Delete a segment and its members",
        parameters=[IDEMPOTENCY],
        responses={204: None, **error_responses(*REPLAYABLE, 404)},
    )
    @idempotent
    def delete(self, request, segment_id: int):
        segment = get_scoped_or_404(Segment, pk=segment_id)
        with transaction.atomic():
            services.delete_segment(segment)
        return Response(status=204)


MEMBER_CHANGE_RESPONSES = {
    200: MembershipChangeSerializer,
    **error_responses(*REPLAYABLE, 404, *BODY_ERRORS),
}


class SegmentMembersView(SegmentApiView):
    @extend_schema(
        operation_id="list_members",
        summary="Page through a segment's members",
        parameters=[cursor_parameter(), limit_parameter(*MEMBER_PAGE)],
        responses={200: MemberPageSerializer, **error_responses(400, 404)},
        examples=examples.MEMBER_PAGE,
    )
    def get(self, request, segment_id: int):
        segment = get_scoped_or_404(Segment, pk=segment_id)
        kind = f"members:{segment.pk}"
        position = read_cursor(request.query_params, "cursor", kind, (int, str))
        limit = read_limit(request.query_params, *MEMBER_PAGE)

        rows, has_more = members.page_of_members(segment, position, limit)

        next_cursor = encode_cursor(kind, rows[-1]) if has_more else None
        return Response({"results": member_items(rows), "next_cursor": next_cursor})

    @extend_schema(
        operation_id="add_members",
        summary="Add members",
        parameters=[IDEMPOTENCY],
        request=MembersBodySerializer,
        responses=MEMBER_CHANGE_RESPONSES,
        examples=examples.MEMBER_CHANGE,
    )
    @idempotent
    def post(self, request, segment_id: int):
        return self.change(request, segment_id, ImportMode.ADD)

    @extend_schema(
        operation_id="replace_members",
        summary="Replace all members, atomically",
        parameters=[IDEMPOTENCY],
        request=MembersBodySerializer,
        responses=MEMBER_CHANGE_RESPONSES,
        examples=examples.MEMBER_CHANGE,
    )
    @idempotent
    def put(self, request, segment_id: int):
        return self.change(request, segment_id, ImportMode.REPLACE)

    @extend_schema(
        operation_id="remove_members",
        summary="Remove members",
        parameters=[IDEMPOTENCY],
        request=MembersBodySerializer,
        responses=MEMBER_CHANGE_RESPONSES,
        examples=examples.MEMBER_CHANGE,
    )
    @idempotent
    def delete(self, request, segment_id: int):
        return self.change(request, segment_id, ImportMode.REMOVE)

    def change(self, request, segment_id: int, mode: str) -> Response:
        segment = get_scoped_or_404(Segment, pk=segment_id)
        items = validated(MembersBodySerializer, request.data)["members"]

        with answering_refusals():
            report = members.change_segment_members(segment, mode, items)

        return Response(report.as_dict())


class SegmentChangesView(SegmentApiView):
    @extend_schema(
        operation_id="list_member_changes",
        summary="Who entered and who left, since a cursor",
        parameters=[cursor_parameter("since"), limit_parameter(*MEMBER_PAGE)],
        responses={200: ChangePageSerializer, **error_responses(400, 404)},
        examples=examples.CHANGES,
    )
    def get(self, request, segment_id: int):
        segment = get_scoped_or_404(Segment, pk=segment_id)
        kind = f"changes:{segment.pk}"
        since = read_cursor(request.query_params, "since", kind, (int, int, str))
        limit = read_limit(request.query_params, *MEMBER_PAGE)

        rows, has_more = members.page_of_changes(segment, since, limit)

        last = rows[-1][:3] if rows else since or (0, 0, "")
        return Response(
            {
                "results": [change_item(*row) for row in rows],
                "next_cursor": encode_cursor(kind, last),
                "has_more": has_more,
            }
        )


def change_item(revision: int, id_type: int, value: str, is_active: bool) -> dict:
    return {
        "type": members.TYPE_NAMES[id_type],
        "id": value,
        "change": "entered" if is_active else "left",
        "revision": revision,
    }


class MemberSegmentsView(SegmentApiView):
    @extend_schema(
        operation_id="list_segments_of_member",
        summary="The segments an identifier belongs to",
        parameters=[
            OpenApiParameter("id_type", str, OpenApiParameter.PATH, enum=ID_TYPES),
            OpenApiParameter("member_id", str, OpenApiParameter.PATH),
            cursor_parameter(),
            limit_parameter(*SEGMENT_PAGE),
        ],
        responses={200: SegmentPageSerializer, **error_responses(400)},
        examples=examples.MEMBER_SEGMENTS,
    )
    def get(self, request, id_type: str, member_id: str):
        position = read_cursor(request.query_params, "cursor", "memberships", (int,))
        limit = read_limit(request.query_params, *SEGMENT_PAGE)
        try:
            segments = members.segments_with_member(id_type, member_id)
        except ValueError as error:
            raise ApiError(400, "invalid_member", f"Invalid ID: {error}.") from None

        rows, has_more = page_of(segments, position, limit)

        next_cursor = encode_cursor("memberships", [rows[-1].pk]) if has_more else None
        results = SegmentSerializer(rows, many=True).data
        return Response({"results": results, "next_cursor": next_cursor})


def page_of(segments, position: tuple | None, limit: int):
    if position is not None:
        segments = segments.filter(pk__gt=position[0])
    rows = list(segments.order_by("pk")[: limit + 1])
    return rows[:limit], len(rows) > limit


class SegmentImportsView(SegmentApiView):
    parser_classes = [MultiPartParser]

    @property
    def max_body_bytes(self) -> int:
        return settings.IMPORT_MAX_BYTES + 64 * 1024

    @extend_schema(
        operation_id="create_import",
        summary="Import a CSV file of IDs into a segment",
        parameters=[IDEMPOTENCY],
        request={"multipart/form-data": ImportCreateSerializer},
        responses={
            202: ImportSerializer,
            **error_responses(*REPLAYABLE, 404, *BODY_ERRORS),
        },
        examples=examples.IMPORT_CREATE,
    )
    @idempotent
    def post(self, request, segment_id: int):
        segment = get_scoped_or_404(Segment, pk=segment_id)
        data = validated(ImportCreateSerializer, request.data)

        with answering_refusals(), transaction.atomic():
            members.check_editable(segment)
            job = services.start_import(
                company=request.auth.company,
                user=None,
                upload=data["file"],
                mode=data["mode"],
                segment=segment,
                default_id_type=data.get("id_type", ""),
                source=ImportSource.API,
            )

        body = ImportSerializer(job, context={"request": request}).data
        return Response(body, status=202, headers={"Location": body["url"]})


class ImportDetailView(SegmentApiView):
    @extend_schema(
        operation_id="get_import",
        summary="Follow an import",
        responses={200: ImportSerializer, **error_responses(404)},
        examples=examples.IMPORT_DETAIL,
    )
    def get(self, request, import_id: int):
        job = get_scoped_or_404(SegmentImport, pk=import_id)
        return Response(ImportSerializer(job, context={"request": request}).data)
