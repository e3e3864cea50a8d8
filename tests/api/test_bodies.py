"""Request bodies sent gzip-compressed or chunked."""

import gzip
import io
import json
import zlib

import pytest

from segments.models import Segment

SEGMENTS = "/api/v1/segments"


def error_of(response) -> dict:
    return response.json()["error"]


def post(client, body: bytes, **headers):
    return client.generic(
        "POST", SEGMENTS, body, content_type="application/json", **headers
    )


def segment_body(name: str = "Compressed") -> bytes:
    return json.dumps({"name": name, "description": "d" * 500}).encode()


def test_gzip_body_is_inflated(api_client):
    response = post(
        api_client, gzip.compress(segment_body()), HTTP_CONTENT_ENCODING="gzip"
    )

    assert response.status_code == 201, response.content
    assert Segment.all_companies.get().description == "d" * 500


def test_gzip_is_recognised_whatever_its_case(api_client):
    response = post(
        api_client, gzip.compress(segment_body()), HTTP_CONTENT_ENCODING=" GZip "
    )

    assert response.status_code == 201


def test_gzip_events_batch_is_accepted(api_client):
    events = {
        "events": [
            {
                "type": "app_open",
                "device": {"device_id": f"device-{number}"},
                "occurred_at": "2026-01-01T10:00:00+00:00",
            }
            for number in range(200)
        ]
    }
    body = gzip.compress(json.dumps(events).encode())

    response = api_client.generic(
        "POST",
        "/api/v1/events",
        body,
        content_type="application/json",
        HTTP_CONTENT_ENCODING="gzip",
    )

    assert response.status_code == 200, response.content
    assert response.json()["accepted"] == 200


def test_inflated_size_counts_against_the_limit(api_client, settings):
    settings.API_MAX_BODY_BYTES = 10_000
    bomb = gzip.compress(b'{"name": "' + b"x" * 5_000_000 + b'"}')
    assert len(bomb) < 10_000

    response = post(api_client, bomb, HTTP_CONTENT_ENCODING="gzip")

    assert response.status_code == 413
    assert error_of(response)["details"] == {"limit_bytes": 10_000}
    assert not Segment.all_companies.exists()


@pytest.mark.parametrize(
    "body",
    [
        b"not gzip at all",
        gzip.compress(segment_body())[:-12],
        zlib.compress(segment_body()),
    ],
    ids=["plain", "truncated", "zlib-not-gzip"],
)
def test_broken_gzip_is_a_bad_request(api_client, body):
    response = post(api_client, body, HTTP_CONTENT_ENCODING="gzip")

    assert response.status_code == 400
    assert error_of(response)["code"] == "invalid_encoding"
    assert not Segment.all_companies.exists()


@pytest.mark.parametrize("encoding", ["br", "deflate", "compress, gzip"])
def test_other_encodings_are_unsupported(api_client, encoding):
    response = post(api_client, segment_body(), HTTP_CONTENT_ENCODING=encoding)

    assert response.status_code == 415
    assert error_of(response)["code"] == "unsupported_encoding"
    assert encoding in error_of(response)["message"]


def test_identity_encoding_is_the_body_as_is(api_client):
    response = post(api_client, segment_body(), HTTP_CONTENT_ENCODING="identity")

    assert response.status_code == 201


def chunked(body: bytes, terminated: bool) -> dict:
    environ = {
        "CONTENT_LENGTH": "",
        "CONTENT_TYPE": "application/json",
        "HTTP_TRANSFER_ENCODING": "chunked",
        "wsgi.input": io.BytesIO(body),
    }
    if terminated:
        environ["wsgi.input_terminated"] = True
    return environ


def test_chunked_body_decoded_by_the_server_is_read(api_client):
    response = post(api_client, b"", **chunked(segment_body(), terminated=True))

    assert response.status_code == 201, response.content
    assert Segment.all_companies.get().name == "Compressed"


def test_chunked_gzip_body_is_read(api_client):
    body = gzip.compress(segment_body())

    response = post(
        api_client, b"", HTTP_CONTENT_ENCODING="gzip", **chunked(body, True)
    )

    assert response.status_code == 201, response.content


def test_chunked_body_the_server_left_encoded_needs_a_length(api_client):
    response = post(api_client, b"", **chunked(segment_body(), terminated=False))

    assert response.status_code == 411
    assert error_of(response)["code"] == "length_required"
    assert not Segment.all_companies.exists()


def test_chunked_body_over_the_limit_is_too_large(api_client, settings):
    settings.API_MAX_BODY_BYTES = 100

    response = post(api_client, b"", **chunked(segment_body(), terminated=True))

    assert response.status_code == 413


def test_body_up_to_the_api_limit_is_read(api_client, company, settings):
    from tests.factories import make_segment

    settings.API_MAX_BODY_BYTES = 4 * 1024 * 1024
    segment = make_segment(company, "Large")
    members = [
        {"type": "custom_id", "id": f"C{number:05d}-" + "x" * 248}
        for number in range(10_000)
    ]
    body = json.dumps({"members": members}).encode()
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE < len(body) < 4 * 1024 * 1024

    response = api_client.generic(
        "POST",
        f"{SEGMENTS}/{segment.pk}/members",
        body,
        content_type="application/json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["added"] == 10_000
