"""Checking and storing batches of events, and the devices they report."""

import pytest

from events import services
from events.models import Device, Event
from herow_segments.accounts.scoping import company_scope
from segments.models import IdType
from tests.factories import event_item, make_company, make_place

ADVERTISING_ID = "6d92078a-8246-4ba4-ae5b-76104861e7dc"
NEW_ADVERTISING_ID = "2f1e6b3c-9a4d-4e8f-b7c1-0d5a3e9f8b21"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"type": "walk"}, "type must be one of entry, exit, visit, app_open"),
        ({"device": None}, "device must be an object with at least a device_id"),
        ({"device": {"device_id": ""}}, "device.device_id is required"),
        ({"place": None}, "place is required for entry events"),
        ({"place": True}, "place must be a place id (number) or external id"),
        ({"occurred_at": "yesterday"}, "occurred_at is not an ISO 8601 date"),
        (
            {"occurred_at": 1_733_300_000},
            "occurred_at must be a string in ISO 8601 with an offset, not a number",
        ),
        ({"occurred_at": "2026-06-01T09:00:00"}, "occurred_at needs a UTC offset"),
        (
            {"occurred_at": "2026-06-01T12:06:00Z"},
            "occurred_at is more than 5 minutes in the future",
        ),
        (
            {"occurred_at": "2025-01-01T00:00:00Z"},
            "occurred_at is older than the retention period of 400 days",
        ),
        ({"duration_s": 30}, "duration_s is only for visit events"),
        ({"latitude": 60.1}, "latitude and longitude go together"),
        ({"latitude": 91, "longitude": 0}, "latitude must be a number from -90"),
        (
            {"device": {"device_id": "d", "advertising_id": "nope"}},
            "device.advertising_id: not a valid UUID",
        ),
        (
            {"device": {"device_id": "d", "platform": "symbian"}},
            "device.platform must be one of android, ios, other",
        ),
        ({"place": 999_999}, "place 999999 does not exist"),
        ({"place": "x\x00"}, "place holds a NUL"),
        ({"place": "\ud800"}, "place holds a NUL or a character that is not valid"),
        ({"event_id": "e\udfff"}, "event_id holds a NUL or a character"),
        ({"device": {"device_id": "\ud800"}}, "device.device_id holds a NUL"),
        (
            {"device": {"device_id": "d", "custom_id": "c\ud800"}},
            "device.custom_id holds a NUL",
        ),
        (
            {"device": {"device_id": "d", "app_version": "1\udc00"}},
            "device.app_version holds a NUL",
        ),
        ({"occurred_at": "2026-06-01"}, "occurred_at needs a time and a UTC offset"),
        ({"place": "NOPE"}, "place 'NOPE' does not exist"),
        (
            {"device": {"device_id": "00000000-0000-0000-0000-000000000000"}},
            "device.device_id is the all-zero UUID",
        ),
        (
            {"device": {"device_id": "{00000000000000000000000000000000}"}},
            "device.device_id is the all-zero UUID",
        ),
        (
            {"device": {"device_id": "urn:uuid:00000000-0000-0000-0000-000000000000"}},
            "device.device_id is the all-zero UUID",
        ),
        (
            {"device": {"device_id": "d", "app_version": "1.0\x1f"}},
            "device.app_version holds a control character",
        ),
        (
            {"type": "visit", "duration_s": "600"},
            "duration_s must be a number of seconds, not a string",
        ),
        (
            {"type": "visit", "duration_s": True},
            "duration_s must be a number of seconds, not true or false",
        ),
        (
            {"type": "visit", "duration_s": 10**12},
            "duration_s must be at most 2,147,483,647 seconds",
        ),
        ({"type": "visit", "duration_s": -1}, "duration_s must be zero or more"),
    ],
)
def test_invalid_item_is_rejected_with_reason(place, ingest, change, reason):
    item = {**event_item("entry", place, "2026-06-01T09:00:00Z"), **change}

    result = ingest([event_item("app_open", None, "2026-06-01T09:00:00Z"), item])

    assert result.accepted == 1
    assert len(result.rejected) == 1
    assert result.rejected[0]["index"] == 1
    assert result.rejected[0]["reason"].startswith(reason)


def test_visit_without_duration_is_rejected(place, ingest):
    result = ingest([event_item("visit", place, "2026-06-01T09:00:00Z")])

    assert result.rejected == [
        {"index": 0, "reason": "duration_s is required for visit events, in seconds"}
    ]


def test_future_tolerance_follows_the_setting(place, ingest, settings):
    settings.EVENT_FUTURE_TOLERANCE = settings.EVENT_FUTURE_TOLERANCE * 12

    result = ingest([event_item("entry", place, "2026-06-01T12:30:00Z")])

    assert result.accepted == 1


def test_valid_items_are_stored_beside_rejected(place, ingest):
    items = [
        event_item("entry", place, "2026-06-01T09:00:00Z"),
        {"type": "entry"},
        event_item("exit", "HEL-001", "2026-06-01T09:10:00Z"),
        "not an object",
    ]

    result = ingest(items)

    assert result.accepted == 2
    assert [rejection["index"] for rejection in result.rejected] == [1, 3]
    assert Event.all_companies.count() == 2


def test_place_is_found_by_external_id(place, ingest):
    ingest([event_item("entry", "HEL-001", "2026-06-01T09:00:00Z")])

    assert Event.all_companies.get().place_id == place.pk


def test_event_ids_are_unique_per_company(company, place, ingest):
    other = make_company()
    other_place = make_place(other)
    item = event_item("entry", place, "2026-06-01T09:00:00Z", event_id="e-1")
    ingest([item])

    result = services.ingest_events(other, [{**item, "place": other_place.pk}])

    assert result.accepted == 1


def test_new_identifiers_update_the_device(ingest):
    ingest(
        [
            event_item(
                "app_open",
                None,
                "2026-06-01T09:00:00Z",
                device={"device_id": "d", "advertising_id": ADVERTISING_ID},
            )
        ]
    )

    ingest(
        [
            event_item(
                "app_open",
                None,
                "2026-06-01T10:00:00Z",
                device={
                    "device_id": "d",
                    "advertising_id": NEW_ADVERTISING_ID.upper(),
                    "custom_id": "CRM-1",
                    "platform": "iOS",
                },
            )
        ]
    )

    device = Device.all_companies.get()
    assert device.advertising_id == NEW_ADVERTISING_ID
    assert device.custom_id == "CRM-1"
    assert device.platform == "ios"
    assert device.first_seen_at.hour == 9
    assert device.last_seen_at.hour == 10


def test_late_old_report_keeps_newer_identifiers(ingest):
    newer = {"device_id": "d", "advertising_id": NEW_ADVERTISING_ID}
    older = {"device_id": "d", "advertising_id": ADVERTISING_ID}
    ingest([event_item("app_open", None, "2026-06-01T10:00:00Z", device=newer)])

    ingest([event_item("app_open", None, "2026-06-01T08:00:00Z", device=older)])

    device = Device.all_companies.get()
    assert device.advertising_id == NEW_ADVERTISING_ID
    assert device.first_seen_at.hour == 8


def test_nil_advertising_id_is_not_reported(ingest):
    report = {
        "device_id": "d",
        "advertising_id": "00000000-0000-0000-0000-000000000000",
    }

    result = ingest(
        [event_item("app_open", None, "2026-06-01T10:00:00Z", device=report)]
    )

    assert result.accepted == 1
    assert Device.all_companies.get().advertising_id == ""


@pytest.mark.parametrize(
    "spelling",
    [
        "{6D92078A-8246-4BA4-AE5B-76104861E7DC}",
        "urn:uuid:6D92078A-8246-4BA4-AE5B-76104861E7DC",
        "6d92078a82464ba4ae5b76104861e7dc",
    ],
)
def test_uuid_device_id_is_stored_canonical(ingest, spelling):
    report = {"device_id": spelling}

    ingest([event_item("app_open", None, "2026-06-01T10:00:00Z", device=report)])

    assert Device.all_companies.get().device_id == ADVERTISING_ID


@pytest.mark.parametrize(
    ("id_type", "value"),
    [
        (IdType.DEVICE_ID, "android-1"),
        (IdType.ADVERTISING_ID, ADVERTISING_ID),
        (IdType.CUSTOM_ID, "CRM-7"),
    ],
)
def test_any_identifier_finds_the_device(company, ingest, id_type, value):
    report = {
        "device_id": "android-1",
        "advertising_id": ADVERTISING_ID,
        "custom_id": "CRM-7",
    }
    ingest([event_item("app_open", None, "2026-06-01T10:00:00Z", device=report)])

    with company_scope(company):
        found = list(services.find_devices(id_type, value))

    assert [device.device_id for device in found] == ["android-1"]
