"""Example requests and answers of the segment API, for the schema."""

from drf_spectacular.utils import OpenApiExample

AD_ID = "6ba7b810-9dad-11d1-80b4-00c04fd430c8"
DEVICE_ID = "2f1e6b3c-9a4d-4e8f-b7c1-0d5a3e9f8b21"
REASON = "not a valid UUID (expected 32 hexadecimal digits)"
CURSOR = "WyJtZW1iZXJzIiwyLCI2YmE3YjgxMC05ZGFkLTExZDEtODBiNC0wMGMwNGZkNDMwYzgiXQ"

SEGMENT = {
    "id": 42,
    "name": "Wine & Dine enthusiasts - Retention",
    "description": "Customers of our partner restaurants.",
    "category": "Wine & Dine",
    "objective": "retention",
    "kind": "api",
    "status": "ready",
    "member_count": 2,
    "counts": {"device_id": 1, "advertising_id": 1, "custom_id": 0},
    "created_at": "2026-01-05T10:00:00Z",
    "updated_at": "2026-01-05T10:02:31Z",
}
MEMBERS = [
    {"type": "advertising_id", "id": AD_ID},
    {"type": "device_id", "id": DEVICE_ID},
]
CHANGE = {
    "added": 2,
    "removed": 0,
    "already_members": 0,
    "not_members": 0,
    "duplicates": 1,
    "invalid": [{"index": 3, "reason": REASON}],
    "member_count": 2,
}
IMPORT = {
    "id": 7,
    "url": "https://segments.example.com/api/v1/imports/7",
    "segment_id": 42,
    "mode": "add",
    "status": "succeeded",
    "progress_percent": 100,
    "rows": 3,
    "added": 2,
    "removed": 0,
    "already_members": 0,
    "not_members": 0,
    "duplicates": 0,
    "invalid": 1,
    "member_count": 4,
    "invalid_sample": [
        {"line": 4, "column": "id", "value": "12e45", "reason": "not a valid UUID"}
    ],
    "error_message": "",
    "created_at": "2026-01-05T10:00:00Z",
    "started_at": "2026-01-05T10:00:01Z",
    "finished_at": "2026-01-05T10:00:02Z",
}


def request(name: str, value, media_type="application/json") -> OpenApiExample:
    return OpenApiExample(name, value=value, request_only=True, media_type=media_type)


def answer(name: str, value, status: int = 200) -> OpenApiExample:
    return OpenApiExample(
        name, value=value, response_only=True, status_codes=[str(status)]
    )


SEGMENT_LIST = [
    answer("A page of segments", {"results": [SEGMENT], "next_cursor": None})
]
SEGMENT_CREATE = [
    request(
        "A segment with its first members",
        {
            "name": SEGMENT["name"],
            "description": SEGMENT["description"],
            "category": SEGMENT["category"],
            "objective": "retention",
            "members": MEMBERS,
        },
    ),
    answer("The new segment", {**SEGMENT, "members_result": CHANGE}, 201),
]
SEGMENT_DETAIL = [answer("A segment", SEGMENT)]
SEGMENT_UPDATE = [
    request("A new description", {"description": "Regulars of the wine bars."}),
    answer(
        "The changed segment", {**SEGMENT, "description": "Regulars of the wine bars."}
    ),  # noqa: E501
]
MEMBER_PAGE = [answer("A page of members", {"results": MEMBERS, "next_cursor": CURSOR})]
MEMBER_CHANGE = [
    request(
        "Members, one repeated and one invalid",
        {"members": [*MEMBERS, MEMBERS[0], {"type": "advertising_id", "id": "abc"}]},
    ),
    answer("What changed", CHANGE),
]
CHANGES = [
    answer(
        "Who entered and who left",
        {
            "results": [
                {**MEMBERS[0], "change": "entered", "revision": 3},
                {**MEMBERS[1], "change": "left", "revision": 4},
            ],
            "next_cursor": "WyJjaGFuZ2VzIiw0LDEsIjJmMWU2YjNjIl0",
            "has_more": False,
        },
    )
]
IMPORT_CREATE = [
    request(
        "A CSV file to add",
        {"file": "ids.csv", "mode": "add", "id_type": ""},
        "multipart/form-data",
    ),
    answer(
        "The queued import", {**IMPORT, "status": "queued", "progress_percent": 0}, 202
    ),  # noqa: E501
]
IMPORT_DETAIL = [answer("A finished import", IMPORT)]
MEMBER_SEGMENTS = [
    answer("The segments of one ID", {"results": [SEGMENT], "next_cursor": None})
]  # noqa: E501
