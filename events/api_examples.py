"""Example requests and answers of the places and events API, for the schema."""

from drf_spectacular.utils import OpenApiExample

PLACE_FIELDS = {
    "name": "Kamppi Fitness",
    "external_id": "HEL-001",
    "latitude": 60.1690,
    "longitude": 24.9312,
    "radius_m": 120,
    "address": "Urho Kekkosen katu 1, Helsinki",
    "brand": "Elixia",
    "category": "gym",
    "tags": ["city centre", "open late"],
}
PLACE = {
    "id": 42,
    **PLACE_FIELDS,
    "created_at": "2026-02-01T08:00:00Z",
    "updated_at": "2026-02-20T16:30:00Z",
}


def request(name: str, value) -> OpenApiExample:
    return OpenApiExample(name, value=value, request_only=True)


def answer(name: str, value, status: int = 200) -> OpenApiExample:
    return OpenApiExample(
        name, value=value, response_only=True, status_codes=[str(status)]
    )


PLACE_LIST = [answer("A page of places", {"results": [PLACE], "next_cursor": None})]
PLACE_CREATE = [
    request("A gym of a chain", PLACE_FIELDS),
    answer("The new place", PLACE, 201),
]
PLACE_DETAIL = [answer("A place", PLACE)]
PLACE_UPDATE = [
    request("A wider geofence and new tags", {"radius_m": 200, "tags": ["24/7"]}),
    answer("The changed place", {**PLACE, "radius_m": 200, "tags": ["24/7"]}),
]
EVENTS = [
    request(
        "Entry and exit",
        {
            "events": [
                {
                    "event_id": "3b8f0c1e-entry",
                    "type": "entry",
                    "device": {
                        "device_id": "2f1e6b3c-9a4d-4e8f-b7c1-0d5a3e9f8b21",
                        "advertising_id": "6d92078a-8246-4ba4-ae5b-76104861e7dc",
                        "platform": "android",
                    },
                    "place": "HEL-001",
                    "occurred_at": "2026-02-23T10:00:00+02:00",
                },
                {
                    "type": "visit",
                    "device": {"device_id": "2f1e6b3c-9a4d-4e8f-b7c1-0d5a3e9f8b21"},
                    "place": 42,
                    "occurred_at": "2026-02-23T10:12:34+02:00",
                    "duration_s": 754,
                },
                {
                    "type": "exit",
                    "device": {"device_id": "2f1e6b3c-9a4d-4e8f-b7c1-0d5a3e9f8b21"},
                    "place": "HEL-404",
                    "occurred_at": "2026-02-23T10:20:00+02:00",
                },
            ]
        },
    ),
    answer(
        "Two stored, one rejected",
        {
            "accepted": 2,
            "duplicates": 0,
            "rejected": [{"index": 2, "reason": "place 'HEL-404' does not exist"}],
        },
    ),
]
