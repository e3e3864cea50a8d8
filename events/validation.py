"""Check the items of an event batch one by one, with a reason for each refusal.

Parsing is pure: it reads nothing from the database, so a batch of a
thousand items costs no query until its valid items are stored together.
"""

import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from events.models import PLACE_EVENT_TYPES, EventType, Platform
from segments.parsing import REASON_NIL_UUID, normalise_id

MAX_DEVICE_ID_LENGTH = 255
MAX_EVENT_ID_LENGTH = 200
MAX_APP_VERSION_LENGTH = 50
MAX_DURATION_S = 2_147_483_647
EVENT_TYPES = ", ".join(EventType.values)
TYPE_VALUES = frozenset(EventType.values)
PLACE_TYPE_VALUES = frozenset(PLACE_EVENT_TYPES)
PLATFORM_VALUES = frozenset(Platform.values)
# IDs of plain ASCII letters, digits and a few separators need no cleaning;
# 32 or 36 characters could be a UUID spelling and take the full path.
PLAIN_ID = re.compile(
    r"[A-Za-z0-9._:-]{1,31}|[A-Za-z0-9._:-]{33,35}|[A-Za-z0-9._:-]{37,255}"
).fullmatch
PLATFORMS = ", ".join(Platform.values)
CONTROL_CHARACTER = re.compile("[\x00-\x1f\x7f-\x9f]").search
# A lone surrogate cannot be encoded, and PostgreSQL cannot store NUL.
UNSTORABLE = re.compile("[\x00\ud800-\udfff]").search


def check_storable(name: str, value: str) -> None:
    if UNSTORABLE(value):
        raise ItemRejected(
            f"{name} holds a NUL or a character that is not valid Unicode"
        )


class ItemRejected(ValueError):
    """An item that cannot be stored; str(exc) says why."""


@dataclass(slots=True)
class DeviceReport:
    device_id: str
    advertising_id: str = ""
    custom_id: str = ""
    platform: str = ""
    app_version: str = ""


@dataclass(slots=True)
class EventInput:
    index: int
    type: str
    device: DeviceReport
    occurred_at: datetime
    place_ref: int | str | None = None
    event_id: str = ""
    duration_s: int | None = None
    latitude: float | None = None
    longitude: float | None = None
    accuracy_m: float | None = None


@dataclass(frozen=True)
class TimeLimits:
    """The window of device times that a batch accepts."""

    latest: datetime
    earliest: datetime | None
    tolerance: timedelta
    retention_days: int


def parse_item(index: int, item, limits: TimeLimits) -> EventInput:
    """Return the checked item, or raise ItemRejected with the reason."""
    if not isinstance(item, dict):
        raise ItemRejected("each event must be a JSON object")
    type_ = parse_type(item.get("type"))
    return EventInput(
        index=index,
        type=type_,
        device=parse_device(item.get("device")),
        occurred_at=parse_occurred_at(item.get("occurred_at"), limits),
        place_ref=parse_place_ref(item.get("place"), type_),
        event_id=parse_event_id(item.get("event_id")),
        duration_s=parse_duration(item.get("duration_s"), type_),
        **parse_location(item),
    )


def parse_type(value) -> str:
    # Checked as a string first: a JSON object or list cannot be looked up
    # in a set.
    if not isinstance(value, str) or value not in TYPE_VALUES:
        raise ItemRejected(f"type must be one of {EVENT_TYPES}")
    return value


def parse_device(value) -> DeviceReport:
    if not isinstance(value, dict):
        raise ItemRejected("device must be an object with at least a device_id")
    return DeviceReport(
        device_id=normalise_device_id(value.get("device_id")),
        advertising_id=parse_identifier(value, "advertising_id"),
        custom_id=parse_identifier(value, "custom_id"),
        platform=parse_platform(value.get("platform")),
        app_version=parse_app_version(value.get("app_version")),
    )


def normalise_device_id(value) -> str:
    """Return the stored form of a device ID, as segment members store it.

    A UUID (an IDFV) gets its canonical lower-case form so that it matches
    the members of imported segments; other IDs, such as an Android ID, are
    kept as sent, trimmed.
    """
    if value is None or value == "":
        raise ItemRejected("device.device_id is required")
    if not isinstance(value, str):
        raise ItemRejected("device.device_id must be a string")
    if len(value) > MAX_DEVICE_ID_LENGTH:
        raise ItemRejected(
            f"device.device_id is longer than {MAX_DEVICE_ID_LENGTH} characters"
        )
    if PLAIN_ID(value) and not value[:9].lower() == "urn:uuid:":
        return value
    check_storable("device.device_id", value)
    try:
        return normalise_id("device_id", value)
    except ValueError as error:
        if str(error) == REASON_NIL_UUID:
            # A placeholder, not an ID: every device reporting it would be
            # merged into one, and segments refuse it as a member.
            raise ItemRejected(
                "device.device_id is the all-zero UUID, which is a placeholder, "
                "not an ID"
            ) from None
    try:
        return normalise_id("custom_id", value)
    except ValueError as error:
        raise ItemRejected(f"device.device_id: {error}") from None


def parse_identifier(device: dict, name: str) -> str:
    """Return a normalised optional identifier; empty when not reported.

    The all-zero advertising ID is what iOS reports when tracking is not
    allowed: it is taken as "not reported", not as an error.
    """
    value = device.get(name)
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        check_storable(f"device.{name}", value)
    try:
        return normalise_id(name, value)
    except ValueError as error:
        if str(error) == REASON_NIL_UUID:
            return ""
        raise ItemRejected(f"device.{name}: {error}") from None


def parse_platform(value) -> str:
    if value is None or value == "":
        return ""
    if not isinstance(value, str) or value.lower() not in PLATFORM_VALUES:
        raise ItemRejected(f"device.platform must be one of {PLATFORMS}")
    return value.lower()


def parse_app_version(value) -> str:
    if value is None:
        return ""
    if not isinstance(value, str) or len(value) > MAX_APP_VERSION_LENGTH:
        raise ItemRejected(
            f"device.app_version must be a string of at most "
            f"{MAX_APP_VERSION_LENGTH} characters"
        )
    if CONTROL_CHARACTER(value):
        raise ItemRejected("device.app_version holds a control character")
    check_storable("device.app_version", value)
    return value.strip()


def parse_occurred_at(value, limits: TimeLimits) -> datetime:
    if value is None or value == "":
        raise ItemRejected("occurred_at is required, in ISO 8601 with an offset")
    if not isinstance(value, str):
        raise ItemRejected(
            f"occurred_at must be a string in ISO 8601 with an offset, not "
            f"{json_type(value)}, such as 2024-05-01T09:30:00+02:00"
        )
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ItemRejected(
            "occurred_at is not an ISO 8601 date and time, such as "
            "2024-05-01T09:30:00+02:00"
        ) from None
    if len(value) <= 10:
        raise ItemRejected(
            "occurred_at needs a time and a UTC offset, such as "
            "2024-05-01T09:30:00+02:00"
        )
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ItemRejected(
            "occurred_at needs a UTC offset, such as 2024-05-01T09:30:00+02:00 "
            "or 2024-05-01T07:30:00Z"
        )
    if moment > limits.latest:
        minutes = limits.tolerance.total_seconds() / 60
        raise ItemRejected(
            f"occurred_at is more than {minutes:g} minutes in the future; "
            "check the device clock"
        )
    if limits.earliest is not None and moment < limits.earliest:
        raise ItemRejected(
            f"occurred_at is older than the retention period of "
            f"{limits.retention_days} days"
        )
    return moment


def parse_place_ref(value, type_: str) -> int | str | None:
    if value is None or value == "":
        if type_ in PLACE_TYPE_VALUES:
            raise ItemRejected(f"place is required for {type_} events")
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ItemRejected("place must be a place id (number) or external id")
    if isinstance(value, int):
        return value
    check_storable("place", value)
    return value.strip()


def parse_event_id(value) -> str:
    if value is None or value == "":
        return ""
    if not isinstance(value, str) or len(value) > MAX_EVENT_ID_LENGTH:
        raise ItemRejected(
            f"event_id must be a string of at most {MAX_EVENT_ID_LENGTH} characters"
        )
    check_storable("event_id", value)
    return value


def parse_duration(value, type_: str) -> int | None:
    if type_ != EventType.VISIT:
        if value is not None:
            raise ItemRejected("duration_s is only for visit events")
        return None
    if value is None:
        raise ItemRejected("duration_s is required for visit events, in seconds")
    if not is_number(value):
        raise ItemRejected(
            f"duration_s must be a number of seconds, not {json_type(value)}"
        )
    if value < 0:
        raise ItemRejected("duration_s must be zero or more seconds")
    if value > MAX_DURATION_S:
        raise ItemRejected(f"duration_s must be at most {MAX_DURATION_S:,} seconds")
    return round(value)


def json_type(value) -> str:
    """Name the JSON type of a parsed value, for reasons."""
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, int | float):
        return "a number"
    return "a value of another type"


def parse_location(item: dict) -> dict:
    latitude, longitude = item.get("latitude"), item.get("longitude")
    accuracy = item.get("accuracy_m")
    if (latitude is None) != (longitude is None):
        raise ItemRejected("latitude and longitude go together")
    if latitude is not None:
        check_range("latitude", latitude, -90, 90)
        check_range("longitude", longitude, -180, 180)
    if accuracy is not None:
        check_range("accuracy_m", accuracy, 0, 1_000_000)
    return {"latitude": latitude, "longitude": longitude, "accuracy_m": accuracy}


def check_range(name: str, value, low: float, high: float) -> None:
    if not is_number(value) or not low <= value <= high:
        raise ItemRejected(f"{name} must be a number from {low} to {high}")


def is_number(value) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
    )
