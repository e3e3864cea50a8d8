"""JSON shapes of segments, members and imports in the API."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from herow_segments.api.serializers import StrictCharField, StrictSerializer
from segments.members import MAX_MEMBERS_PER_REQUEST
from segments.models import ImportMode, SegmentKind, SegmentObjective, SegmentStatus
from segments.models.segment import UNPRINTABLE_NAME, has_unprintable
from segments.parsing import ID_TYPES

# Doubled braces: the messages below go through str.format.
MEMBER_EXAMPLE = '{{"type": "advertising_id", "id": "..."}}'


class MemberSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=ID_TYPES)
    id = serializers.CharField(max_length=255)


@extend_schema_field(MemberSerializer(many=True))
class MemberListField(serializers.Field):
    """A list of member objects, checked for shape but not for content.

    Each object's type and id are checked later, item by item, so that one
    bad identifier is reported with its index instead of failing the list.
    """

    default_error_messages = {
        "not_a_list": (
            f"must be a JSON list of objects such as {MEMBER_EXAMPLE}, "
            "not a {input_type}."
        ),
        "too_many": (
            f"at most {MAX_MEMBERS_PER_REQUEST:,} members per request, not "
            "{count:,}; send several requests or use the imports endpoint."
        ),
        "not_an_object": (
            "item {index} is a {input_type}; each member must be an object "
            f"such as {MEMBER_EXAMPLE}."
        ),
    }

    def to_internal_value(self, data) -> list[dict]:
        if not isinstance(data, list):
            self.fail("not_a_list", input_type=json_type(data))
        if len(data) > MAX_MEMBERS_PER_REQUEST:
            self.fail("too_many", count=len(data))
        for index, item in enumerate(data):
            if not isinstance(item, dict):
                self.fail("not_an_object", index=index, input_type=json_type(item))
        return data

    def to_representation(self, value):
        return value


def json_type(value) -> str:
    names = {str: "string", bool: "boolean", int: "number", float: "number"}
    if value is None:
        return "null"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "list"
    return names.get(type(value), type(value).__name__)


class MembersBodySerializer(StrictSerializer):
    members = MemberListField()


class SegmentCountsSerializer(serializers.Serializer):
    device_id = serializers.IntegerField()
    advertising_id = serializers.IntegerField()
    custom_id = serializers.IntegerField()


class SegmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    description = serializers.CharField()
    category = serializers.CharField()
    objective = serializers.ChoiceField(choices=[("", "")] + SegmentObjective.choices)
    kind = serializers.ChoiceField(choices=SegmentKind.choices)
    status = serializers.ChoiceField(choices=SegmentStatus.choices)
    member_count = serializers.IntegerField()
    counts = SegmentCountsSerializer(source="counts_by_type")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class SegmentWriteSerializer(StrictSerializer):
    name = StrictCharField(max_length=200)
    description = StrictCharField(max_length=10_000, allow_blank=True, required=False)
    category = StrictCharField(max_length=100, allow_blank=True, required=False)
    objective = serializers.ChoiceField(
        choices=SegmentObjective.choices, allow_blank=True, required=False
    )

    def validate_name(self, value: str) -> str:
        if has_unprintable(value):
            raise serializers.ValidationError(UNPRINTABLE_NAME)
        name = " ".join(value.split())
        if not name:
            raise serializers.ValidationError("This field may not be blank.")
        return name


class SegmentCreateSerializer(SegmentWriteSerializer):
    members = MemberListField(required=False)


class InvalidMemberSerializer(serializers.Serializer):
    index = serializers.IntegerField()
    reason = serializers.CharField()


class MembershipChangeSerializer(serializers.Serializer):
    added = serializers.IntegerField()
    removed = serializers.IntegerField()
    already_members = serializers.IntegerField()
    not_members = serializers.IntegerField()
    duplicates = serializers.IntegerField()
    invalid = InvalidMemberSerializer(many=True)
    member_count = serializers.IntegerField()


class SegmentCreatedSerializer(SegmentSerializer):
    members_result = MembershipChangeSerializer(required=False)


class SegmentPageSerializer(serializers.Serializer):
    results = SegmentSerializer(many=True)
    next_cursor = serializers.CharField(allow_null=True)


class MemberPageSerializer(serializers.Serializer):
    results = MemberSerializer(many=True)
    next_cursor = serializers.CharField(allow_null=True)


class MemberChangeSerializer(MemberSerializer):
    change = serializers.ChoiceField(choices=["entered", "left"])
    revision = serializers.IntegerField()


class ChangePageSerializer(serializers.Serializer):
    results = MemberChangeSerializer(many=True)
    next_cursor = serializers.CharField()
    has_more = serializers.BooleanField()


class ImportCreateSerializer(StrictSerializer):
    file = serializers.FileField()
    mode = serializers.ChoiceField(
        choices=[ImportMode.ADD, ImportMode.REMOVE, ImportMode.REPLACE]
    )
    id_type = serializers.ChoiceField(
        choices=ID_TYPES, allow_blank=True, required=False
    )


class InvalidRowSerializer(serializers.Serializer):
    line = serializers.IntegerField()
    column = serializers.CharField(allow_blank=True)
    value = serializers.CharField(allow_blank=True)
    reason = serializers.CharField()


class ImportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.SerializerMethodField()
    segment_id = serializers.IntegerField(allow_null=True)
    mode = serializers.CharField()
    status = serializers.CharField()
    progress_percent = serializers.IntegerField()
    rows = serializers.IntegerField()
    added = serializers.IntegerField()
    removed = serializers.IntegerField()
    already_members = serializers.IntegerField()
    not_members = serializers.IntegerField()
    duplicates = serializers.IntegerField()
    invalid = serializers.IntegerField()
    member_count = serializers.IntegerField(allow_null=True)
    invalid_sample = InvalidRowSerializer(many=True)
    error_message = serializers.CharField(allow_blank=True)
    created_at = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)

    def get_url(self, job) -> str:
        path = reverse("api:import-detail", args=[job.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path
