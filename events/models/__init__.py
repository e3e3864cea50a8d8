from events.models.activity import (
    PLACE_EVENT_TYPES,
    DevicePlace,
    Event,
    EventType,
    Visit,
)
from events.models.device import Device, Platform
from events.models.place import (
    DEFAULT_RADIUS_M,
    MAX_RADIUS_M,
    MIN_RADIUS_M,
    Place,
    Tag,
)

__all__ = [
    "DEFAULT_RADIUS_M",
    "MAX_RADIUS_M",
    "MIN_RADIUS_M",
    "PLACE_EVENT_TYPES",
    "Device",
    "DevicePlace",
    "Event",
    "EventType",
    "Place",
    "Platform",
    "Tag",
    "Visit",
]
