"""The OpenAPI schema and the documentation page built from it."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.api.test_schemathesis import generate_schema

pytestmark = pytest.mark.django_db
METHODS = ("get", "post", "put", "patch", "delete")


def operations(schema: dict):
    for path, item in schema["paths"].items():
        for method in METHODS:
            if method in item:
                yield f"{method.upper()} {path}", item[method]


def test_served_schema_is_the_generated_one(client):
    response = client.get("/api/v1/schema/?format=json")

    assert response.status_code == 200
    assert response.json() == generate_schema()


def test_schema_covers_every_endpoint_of_the_issue(client):
    schema = client.get("/api/v1/schema/?format=json").json()

    names = {name for name, _ in operations(schema)}
    assert {
        "GET /api/v1/segments",
        "POST /api/v1/segments",
        "GET /api/v1/segments/{segment_id}",
        "PATCH /api/v1/segments/{segment_id}",
        "DELETE /api/v1/segments/{segment_id}",
        "GET /api/v1/segments/{segment_id}/members",
        "POST /api/v1/segments/{segment_id}/members",
        "PUT /api/v1/segments/{segment_id}/members",
        "DELETE /api/v1/segments/{segment_id}/members",
        "POST /api/v1/segments/{segment_id}/imports",
        "GET /api/v1/imports/{import_id}",
        "GET /api/v1/segments/{segment_id}/changes",
        "GET /api/v1/members/{id_type}/{member_id}/segments",
    } <= names


def test_every_operation_has_examples(client):
    schema = client.get("/api/v1/schema/?format=json").json()

    for name, operation in operations(schema):
        body = operation.get("requestBody", {}).get("content", {})
        assert all(content.get("examples") for content in body.values()), name
        success = [
            response
            for status, response in operation["responses"].items()
            if status.startswith("2") and status != "204"
        ]
        assert all(
            response["content"]["application/json"].get("examples")
            for response in success
        ), name


def test_errors_share_one_documented_shape(client):
    schema = client.get("/api/v1/schema/?format=json").json()

    for name, operation in operations(schema):
        for status in ("401", "403", "429"):
            content = operation["responses"][status]["content"]["application/json"]
            assert content["schema"] == {"$ref": "#/components/schemas/Error"}, name


def test_docs_page_is_served_from_own_static_files(client):
    response = client.get("/api/docs/")

    page = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert response.status_code == 200
    assert 'data-schema-url="/api/v1/schema/?format=json"' in page
    assert "/static/api/docs.js" in sources
    assert not [
        source for source in sources if "://" in source or source.startswith("//")
    ]
    script = Path(settings.BASE_DIR, "static", "api", "docs.js").read_text()
    assert "http://" not in script and "https://" not in script


def test_schema_speaks_to_clients_not_to_developers(client):
    text = client.get("/api/v1/schema/?format=json").content.decode()

    internal_words = (
        "Subclasses",
        "permission_classes",
        "events.validation",
        "serializer",
        "for the schema",
    )
    for internal in internal_words:
        assert internal not in text


def test_event_place_is_a_number_or_a_string(client):
    schema = client.get("/api/v1/schema/?format=json").json()

    place = schema["components"]["schemas"]["EventItem"]["properties"]["place"]

    assert place["oneOf"] == [{"type": "integer"}, {"type": "string"}]
