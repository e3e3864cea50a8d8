"""JSON shapes of places and event batches in the API."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from events.models import DEFAULT_RADIUS_M, MAX_RADIUS_M, MIN_RADIUS_M, EventType
from events.place_csv import MAX_TAG_LENGTH
from herow_segments.api.serializers import StrictSerializer


class PlaceSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    external_id = serializers.CharField()
    name = serializers.CharField()
    latitude = serializers.FloatField()
    longitude = serializers.FloatField()
    radius_m = serializers.IntegerField()
    address = serializers.CharField()
    brand = serializers.CharField()
    category = serializers.CharField()
    tags = serializers.ListField(child=serializers.CharField(), source="tag_names")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class PlaceWriteSerializer(StrictSerializer):
    name = serializers.CharField(max_length=200)
    external_id = serializers.CharField(
        max_length=100, allow_blank=True, required=False
    )
    latitude = serializers.FloatField(min_value=-90, max_value=90)
    longitude = serializers.FloatField(min_value=-180, max_value=180)
    radius_m = serializers.IntegerField(
        min_value=MIN_RADIUS_M, max_value=MAX_RADIUS_M, default=DEFAULT_RADIUS_M
    )
    address = serializers.CharField(max_length=300, allow_blank=True, required=False)
    brand = serializers.CharField(max_length=100, allow_blank=True, required=False)
    category = serializers.CharField(max_length=100, allow_blank=True, required=False)
    tags = serializers.ListField(
        child=serializers.CharField(max_length=MAX_TAG_LENGTH),
        required=False,
        max_length=100,
    )


class PlacePageSerializer(serializers.Serializer):
    results = PlaceSerializer(many=True)
    next_cursor = serializers.CharField(allow_null=True)


class PlaceFilterSerializer(serializers.Serializer):
    q = serializers.CharField(required=False, max_length=200)
    brand = serializers.CharField(required=False, max_length=100)
    category = serializers.CharField(required=False, max_length=100)
    tag = serializers.CharField(required=False, max_length=MAX_TAG_LENGTH)
    external_id = serializers.CharField(required=False, max_length=100)


class EventDeviceSerializer(serializers.Serializer):
    device_id = serializers.CharField(max_length=255)
    advertising_id = serializers.CharField(required=False)
    custom_id = serializers.CharField(required=False, max_length=255)
    platform = serializers.ChoiceField(
        choices=["android", "ios", "other"], required=False
    )
    app_version = serializers.CharField(required=False, max_length=50)


@extend_schema_field({"oneOf": [{"type": "integer"}, {"type": "string"}]})
class PlaceReferenceField(serializers.CharField):
    """A place id or external id, for the schema."""


class EventItemSerializer(serializers.Serializer):
    """One location event."""

    event_id = serializers.CharField(required=False, max_length=200)
    type = serializers.ChoiceField(choices=EventType.values)
    device = EventDeviceSerializer()
    place = PlaceReferenceField(
        required=False, help_text="The place's id (a number) or its external id."
    )
    occurred_at = serializers.DateTimeField(help_text="ISO 8601 with an offset.")
    duration_s = serializers.FloatField(
        required=False,
        min_value=0,
        max_value=2_147_483_647,
        help_text="For visit events only: seconds, rounded to whole seconds.",
    )
    latitude = serializers.FloatField(required=False)
    longitude = serializers.FloatField(required=False)
    accuracy_m = serializers.FloatField(required=False)


class EventBatchSerializer(serializers.Serializer):
    events = EventItemSerializer(many=True)


class RejectedEventSerializer(serializers.Serializer):
    index = serializers.IntegerField()
    reason = serializers.CharField()


class EventBatchResultSerializer(serializers.Serializer):
    accepted = serializers.IntegerField()
    duplicates = serializers.IntegerField()
    rejected = RejectedEventSerializer(many=True)
