"""The places and events API, used as an integrating system would."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.models import Event, Place, Visit
from events.services import save_place
from tests.factories import event_item, make_place

EVENTS_URL = "/api/v1/events"
PLACES_URL = "/api/v1/places"


def post_json(client, url, body, **headers):
    return client.post(
        url, json.dumps(body), content_type="application/json", **headers
    )


def own_queries(captured: CaptureQueriesContext) -> int:
    """Count the queries of the endpoint, not of the key lookup it caches."""
    return sum(
        "accounts_apikey" not in query["sql"] for query in captured.captured_queries
    )


def error_of(response) -> dict:
    return response.json()["error"]


@pytest.fixture
def events_client(client, make_api_key):
    _, secret = make_api_key(scopes=["events:write"])
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    return client


def recent(minutes_ago: int = 10) -> str:
    from datetime import timedelta

    from django.utils import timezone

    return (timezone.now() - timedelta(minutes=minutes_ago)).isoformat()


def test_batch_answers_counts_and_rejections(events_client, place):
    entered_at = recent(30)
    items = [
        event_item("entry", place, entered_at),
        event_item("exit", "HEL-001", recent(10)),
        event_item("entry", place, entered_at),
        {"type": "entry", "device": {"device_id": "x"}, "place": 0},
        event_item("exit", place, "2999-01-01T00:00:00Z"),
    ]

    response = post_json(events_client, EVENTS_URL, {"events": items})

    assert response.status_code == 200
    body = response.json()
    assert (body["accepted"], body["duplicates"]) == (2, 1)
    assert [rejection["index"] for rejection in body["rejected"]] == [3, 4]
    assert (
        body["rejected"][0]["reason"]
        == "occurred_at is required, in ISO 8601 with an offset"
    )
    assert "in the future" in body["rejected"][1]["reason"]
    assert Visit.all_companies.get().duration_s == 1200


def test_batch_over_the_limit_is_refused(events_client, place):
    items = [event_item("entry", place, recent())] * 1_001

    response = post_json(events_client, EVENTS_URL, {"events": items})

    assert response.status_code == 400
    assert error_of(response)["code"] == "too_many_events"
    assert "at most 1,000 events per request" in error_of(response)["message"]
    assert not Event.all_companies.exists()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ([], "The body must be a JSON object"),
        ({"events": []}, "events: send at least one event"),
        ({"events": {}}, "events: must be a list of event objects"),
        ({}, "events: this field is required"),
        ({"items": []}, "events: this field is required"),
        ({"events": None}, "events: must be a list of event objects"),
    ],
)
def test_malformed_envelope_is_a_bad_request(events_client, body, message):
    response = post_json(events_client, EVENTS_URL, body)

    assert response.status_code == 400
    assert error_of(response)["code"] == "invalid"
    assert error_of(response)["message"].startswith(message)


def test_events_need_the_events_scope(client, make_api_key, place):
    _, secret = make_api_key(scopes=["segments:read", "segments:write"])

    response = post_json(
        client,
        EVENTS_URL,
        {"events": [event_item("entry", place, recent())]},
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )

    assert response.status_code == 403
    assert error_of(response)["message"] == "This API key lacks the events:write scope."


def test_places_of_another_company_are_unknown(client, make_api_key, other_company):
    foreign = make_place(other_company, external_id="HEL-001")
    _, secret = make_api_key(scopes=["events:write"])

    response = post_json(
        client,
        EVENTS_URL,
        {"events": [event_item("entry", foreign, recent())]},
        HTTP_X_API_KEY=secret,
    )

    assert response.json()["rejected"] == [
        {"index": 0, "reason": f"place {foreign.pk} does not exist"}
    ]


def test_batch_queries_do_not_grow_with_items(events_client, company, postgres):
    places = [make_place(company, f"P{number}") for number in range(50)]

    def send(count: int, device: str) -> int:
        items = [
            event_item("entry", places[n % 50], recent(n % 60 + 1), f"{device}{n}")
            for n in range(count)
        ]
        with CaptureQueriesContext(connection) as queries:
            response = post_json(events_client, EVENTS_URL, {"events": items})
        assert response.json()["accepted"] == count
        return own_queries(queries)

    send(1, "warm-up")
    assert send(1_000, "b") == send(10, "a")


def test_place_list_filters_and_pages(api_client, company):
    save_place(make_place(company, "A", brand="Espresso House"), ["cafe"])
    save_place(make_place(company, "B", brand="Espresso House"), [])
    save_place(make_place(company, "C", brand="Other"), ["cafe"])

    first = api_client.get(PLACES_URL, {"brand": "Espresso House", "limit": 1})
    second = api_client.get(
        PLACES_URL,
        {"brand": "Espresso House", "limit": 1, "cursor": first.json()["next_cursor"]},
    )
    tagged = api_client.get(PLACES_URL, {"tag": "cafe"})

    assert [place["name"] for place in first.json()["results"]] == ["A"]
    assert [place["name"] for place in second.json()["results"]] == ["B"]
    assert second.json()["next_cursor"] is None
    assert [place["name"] for place in tagged.json()["results"]] == ["A", "C"]


def test_place_list_queries_do_not_grow(api_client, company):
    for number in range(3):
        save_place(make_place(company, f"P{number}"), ["x"])
    api_client.get(PLACES_URL)
    with CaptureQueriesContext(connection) as few:
        api_client.get(PLACES_URL)
    for number in range(30):
        save_place(make_place(company, f"Q{number}"), ["y"])

    with CaptureQueriesContext(connection) as many:
        response = api_client.get(PLACES_URL)

    assert len(response.json()["results"]) == 33
    assert own_queries(many) == own_queries(few)


def test_place_is_created_read_changed_and_deleted(api_client):
    created = post_json(
        api_client,
        PLACES_URL,
        {
            "name": "Gym",
            "external_id": "GYM-1",
            "latitude": 60.1,
            "longitude": 24.9,
            "tags": ["Gym", "24h"],
        },
    )
    url = created["Location"]

    read = api_client.get(url)
    changed = api_client.patch(
        url, json.dumps({"radius_m": 250}), content_type="application/json"
    )
    deleted = api_client.delete(url)

    assert created.status_code == 201
    assert read.json()["radius_m"] == 100
    assert sorted(read.json()["tags"]) == ["24h", "gym"]
    assert changed.json()["radius_m"] == 250
    assert sorted(changed.json()["tags"]) == ["24h", "gym"]
    assert deleted.status_code == 204
    assert not Place.all_companies.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "x", "latitude": 91, "longitude": 0}, "latitude"),
        ({"name": "x", "latitude": 0, "longitude": 0, "radius_m": 5}, "radius_m"),
        ({"latitude": 0, "longitude": 0}, "name"),
        ({"name": "x", "latitude": 0, "longitude": 0, "colour": "red"}, "colour"),
    ],
)
def test_invalid_place_fields_are_named(api_client, body, field):
    response = post_json(api_client, PLACES_URL, body)

    assert response.status_code == 400
    assert field in error_of(response)["details"]


def test_taken_external_id_is_a_conflict(api_client, company):
    make_place(company, external_id="GYM-1")

    response = post_json(
        api_client,
        PLACES_URL,
        {"name": "Gym", "external_id": "GYM-1", "latitude": 0, "longitude": 0},
    )

    assert response.status_code == 409
    assert error_of(response)["code"] == "external_id_taken"


def test_place_of_another_company_is_not_found(api_client, other_company):
    foreign = make_place(other_company)

    response = api_client.get(f"{PLACES_URL}/{foreign.pk}")

    assert response.status_code == 404


def test_places_need_segment_scopes(events_client, place):
    response = events_client.get(PLACES_URL)

    assert response.status_code == 403
    assert "segments:read" in error_of(response)["message"]


@pytest.mark.parametrize("bad_type", [{"kind": "entry"}, ["entry"], 3, None])
def test_event_type_of_wrong_json_type_is_rejected(events_client, place, bad_type):
    item = event_item("entry", place, recent(5))
    item["type"] = bad_type

    response = post_json(events_client, EVENTS_URL, {"events": [item]})

    assert response.status_code == 200
    assert response.json()["rejected"][0]["reason"].startswith("type must be one of")


def test_unstorable_text_rejects_the_item_not_the_batch(events_client, place):
    items = [
        event_item("entry", place, recent()),
        event_item("app_open", None, recent(), "\ud800"),
        event_item("entry", "x\x00", recent(), "d1"),
    ]
    # JSON escapes them as \ud800 and \u0000, as a client's encoder would.
    body = json.dumps({"events": items})

    response = events_client.post(EVENTS_URL, body, content_type="application/json")

    assert response.status_code == 200, response.content
    assert response.json()["accepted"] == 1
    assert [item["index"] for item in response.json()["rejected"]] == [1, 2]
