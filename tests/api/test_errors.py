"""Bad input of any kind gets the shared error shape and never a 500."""

import json

import pytest

from herow_segments.api.pagination import encode_cursor
from tests.factories import make_segment

SEGMENTS = "/api/v1/segments"


def error_of(response) -> dict:
    return response.json()["error"]


@pytest.fixture
def segment(company):
    return make_segment(company, "Target")


def post_raw(client, url, body, content_type="application/json"):
    data = body.encode("utf-8", "surrogatepass") if isinstance(body, str) else body
    return client.generic("POST", url, data, content_type=content_type)


def test_malformed_json_is_a_bad_request(api_client):
    response = post_raw(api_client, SEGMENTS, '{"name": "x",')

    assert response.status_code == 400
    assert error_of(response)["code"] == "parse_error"
    assert error_of(response)["message"].startswith("JSON parse error")


@pytest.mark.parametrize(
    "body",
    [
        "[" * 100_000 + "]" * 100_000,
        '{"name": NaN}',
        b'{"name": "\xff\xfe"}',
        '{"name": 1' + "0" * 5000 + "}",
    ],
)
def test_unparseable_bodies_are_bad_requests(api_client, body):
    response = post_raw(api_client, SEGMENTS, body)

    assert response.status_code == 400
    assert error_of(response)["code"] in ("parse_error", "invalid")


@pytest.mark.parametrize(
    "content_type",
    [
        "text/csv",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
    ],
)
def test_other_media_types_are_unsupported(api_client, content_type):
    response = post_raw(api_client, SEGMENTS, "name=x", content_type)

    assert response.status_code == 415
    assert error_of(response)["code"] == "unsupported_media_type"


def test_huge_body_is_too_large(api_client, settings):
    settings.API_MAX_BODY_BYTES = 1_000
    body = json.dumps({"name": "x", "description": "y" * 2_000})

    response = post_raw(api_client, SEGMENTS, body)

    assert response.status_code == 413
    assert error_of(response) == {
        "code": "body_too_large",
        "message": "The request body is too large.",
        "details": {"limit_bytes": 1_000},
    }


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"name": "x", "colour": "red"}, "colour", "This field is not known."),
        ({"name": "x", "kind": "native"}, "kind", "This field is not known."),
        ({"name": 12}, "name", "Not a valid string."),
        ({"name": "x", "description": False}, "description", "Not a valid string."),
        ({"name": ["x"]}, "name", "Not a valid string."),
        ({}, "name", "This field is required."),
        ({"name": "   "}, "name", "This field may not be blank."),
        ({"name": "x" * 201}, "name", "no more than 200 characters"),
        ({"name": "bell\x07"}, "name", "A name cannot hold control characters."),
        ({"name": "x", "objective": "fame"}, "objective", "is not a valid choice"),
        ({"name": "a\x00b"}, "name", "Null characters are not allowed."),
        ({"name": "a\ud800b"}, "name", "Surrogate characters are not allowed"),
    ],
)
def test_invalid_segment_fields_are_named(api_client, body, field, message):
    response = post_raw(api_client, SEGMENTS, json.dumps(body))

    assert response.status_code == 400
    assert error_of(response)["code"] == "invalid"
    assert message in error_of(response)["details"][field][0]
    assert error_of(response)["message"].startswith(f"{field}: ")


def test_body_that_is_not_an_object_is_a_bad_request(api_client):
    response = post_raw(api_client, SEGMENTS, '"a,b,c"')

    assert response.status_code == 400
    assert "Expected a dictionary" in error_of(response)["message"]


@pytest.mark.parametrize(
    "query",
    [
        "limit=0",
        "limit=501",
        "limit=abc",
        "limit=-1",
        "limit=1e3",
        "limit=%EF%BC%91",
        "limit=99999999999999999999",
    ],
)
def test_limit_out_of_range_is_a_bad_request(api_client, query):
    response = api_client.get(f"{SEGMENTS}?{query}")

    assert response.status_code == 400
    assert error_of(response)["code"] == "invalid_limit"
    assert (
        error_of(response)["message"] == "limit must be a whole number from 1 to 500."
    )


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        "%00%00",
        "WyJtZW1iZXJzIiwyLCJ4Il0",
        "WyJzZWdtZW50cyIsInRydWUiXQ",
        "WyJzZWdtZW50cyIsdHJ1ZV0",
        "WyJzZWdtZW50cyIsMWUzMDBd",
        "x" * 5000,
        "e30",
        "W10",
    ],
)
def test_garbage_cursor_is_a_bad_request(api_client, cursor):
    response = api_client.get(f"{SEGMENTS}?cursor={cursor}")

    assert response.status_code == 400
    assert error_of(response)["code"] == "invalid_cursor"


def test_member_cursor_with_a_nul_is_a_bad_request(api_client, segment):
    cursor = encode_cursor(f"members:{segment.pk}", [2, "a\x00"])

    response = api_client.get(f"{SEGMENTS}/{segment.pk}/members?cursor={cursor}")

    assert response.status_code == 400


@pytest.mark.parametrize("query", ["kind=weird", "name=%00", "name=" + "x" * 201])
def test_bad_filters_are_bad_requests(api_client, query):
    response = api_client.get(f"{SEGMENTS}?{query}")

    assert response.status_code == 400
    assert error_of(response)["code"] == "invalid"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/segments/abc",
        "/api/v1/segments/1.5/members",
        "/api/v1/segments/-1",
        "/api/v1/nothing-here",
        "/api/v1/segments/",
    ],
)
def test_unknown_addresses_are_json_not_found(api_client, path):
    response = api_client.get(path)

    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_huge_id_is_not_found(api_client):
    response = api_client.get(f"{SEGMENTS}/{10**30}")

    assert response.status_code == 404


def test_wrong_method_is_not_allowed(api_client, segment):
    response = api_client.post(
        f"{SEGMENTS}/{segment.pk}", {}, content_type="application/json"
    )

    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"
    assert "PATCH" in response["Allow"]


def test_unusual_accept_header_still_gets_json(api_client):
    response = api_client.get(SEGMENTS, headers={"Accept": "text/html"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


def test_name_taken_is_a_conflict(api_client, company):
    make_segment(company, "Taken")

    response = post_raw(api_client, SEGMENTS, json.dumps({"name": " taken "}))

    assert response.status_code == 409
    assert error_of(response) == {
        "code": "name_taken",
        "message": "A segment with this name already exists.",
        "details": {"name": ["A segment with this name already exists."]},
    }


def test_unicode_names_survive_the_round_trip(api_client):
    name = "Café 東京 🍷 ‮right-to-left"

    created = post_raw(api_client, SEGMENTS, json.dumps({"name": name}))
    fetched = api_client.get(f"{SEGMENTS}/{created.json()['id']}")

    assert created.status_code == 201
    assert fetched.json()["name"] == name
