"""Segments are listed, created, read, changed and deleted through the API."""

import pytest

from segments.models import Segment
from tests.factories import import_text, long_csv, make_segment

SEGMENTS = "/api/v1/segments"


def test_created_segment_has_kind_api(api_client):
    response = api_client.post(
        SEGMENTS,
        {
            "name": "  CRM   regulars ",
            "description": "From the CRM.",
            "category": "Retail",
            "objective": "loyalty",
        },
        content_type="application/json",
    )

    body = response.json()
    assert response.status_code == 201
    assert response["Location"].endswith(f"{SEGMENTS}/{body['id']}")
    assert {key: body[key] for key in ("name", "kind", "status", "objective")} == {
        "name": "CRM regulars",
        "kind": "api",
        "status": "ready",
        "objective": "loyalty",
    }
    assert body["counts"] == {"device_id": 0, "advertising_id": 0, "custom_id": 0}
    assert "members_result" not in body


def test_created_segment_keeps_its_first_members(api_client):
    members = [
        {"type": "custom_id", "id": "crm-1"},
        {"type": "custom_id", "id": "crm-1"},
        {"type": "device_id", "id": "not a uuid"},
    ]

    response = api_client.post(
        SEGMENTS,
        {"name": "Seeded", "members": members},
        content_type="application/json",
    )

    body = response.json()
    assert body["member_count"] == 1
    assert body["counts"]["custom_id"] == 1
    assert body["members_result"]["added"] == 1
    assert body["members_result"]["duplicates"] == 1
    assert body["members_result"]["invalid"][0]["index"] == 2


def test_segment_with_only_invalid_members_is_not_created(api_client):
    response = api_client.post(
        SEGMENTS,
        {"name": "Nothing valid", "members": [{"type": "device_id", "id": "x"}]},
        content_type="application/json",
    )

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "no_valid_members"
    assert response.json()["error"]["details"]["invalid"][0]["index"] == 0
    assert not Segment.objects.exists()


def test_segment_json_has_every_field(api_client, company):
    job = import_text(
        company, long_csv([("advertising_id", "6ba7b810-9dad-11d1-80b4-00c04fd430c8")])
    )

    response = api_client.get(f"{SEGMENTS}/{job.segment_id}")

    assert set(response.json()) == {
        "id",
        "name",
        "description",
        "category",
        "objective",
        "kind",
        "status",
        "member_count",
        "counts",
        "created_at",
        "updated_at",
    }
    assert response.json()["counts"]["advertising_id"] == 1


def test_list_filters_by_kind_and_name(api_client, company):
    make_segment(company, "Wine lovers", kind="api")
    make_segment(company, "Wine haters", kind="imported")
    make_segment(company, "Beer lovers", kind="api")

    response = api_client.get(f"{SEGMENTS}?kind=api&name=WINE")

    assert [row["name"] for row in response.json()["results"]] == ["Wine lovers"]


def test_list_pages_through_every_segment(api_client, company):
    names = [f"Segment {number:02}" for number in range(7)]
    for name in names:
        make_segment(company, name)

    seen, cursor = [], ""
    while cursor is not None:
        page = api_client.get(f"{SEGMENTS}?limit=3&cursor={cursor}").json()
        seen += [row["name"] for row in page["results"]]
        cursor = page["next_cursor"]

    assert seen == names


def test_list_runs_a_fixed_number_of_queries(
    api_client, company, django_assert_num_queries
):
    for number in range(30):
        make_segment(company, f"Segment {number}")
    api_client.get(SEGMENTS)

    with django_assert_num_queries(2):
        response = api_client.get(f"{SEGMENTS}?limit=25")

    assert len(response.json()["results"]) == 25


def test_patch_changes_only_given_fields(api_client, company):
    segment = make_segment(company, "Before", category="Retail")

    response = api_client.patch(
        f"{SEGMENTS}/{segment.pk}",
        {"name": "After", "objective": ""},
        content_type="application/json",
    )

    segment.refresh_from_db()
    assert response.status_code == 200
    assert (segment.name, segment.category, segment.objective) == (
        "After",
        "Retail",
        "",
    )


def test_patch_to_a_taken_name_is_a_conflict(api_client, company):
    make_segment(company, "First")
    second = make_segment(company, "Second")

    response = api_client.patch(
        f"{SEGMENTS}/{second.pk}", {"name": "FIRST"}, content_type="application/json"
    )

    assert response.status_code == 409
    second.refresh_from_db()
    assert second.name == "Second"


def test_patch_of_read_only_field_is_refused(api_client, company):
    segment = make_segment(company, "Fixed")

    response = api_client.patch(
        f"{SEGMENTS}/{segment.pk}", {"member_count": 5}, content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["error"]["details"] == {
        "member_count": ["This field is not known."]
    }


def test_delete_removes_segment_and_members(api_client, company):
    job = import_text(company, long_csv([("custom_id", "a"), ("custom_id", "b")]))

    response = api_client.delete(f"{SEGMENTS}/{job.segment_id}")
    again = api_client.delete(f"{SEGMENTS}/{job.segment_id}")

    assert response.status_code == 204
    assert again.status_code == 404
    assert not Segment.objects.exists()


@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_missing_segment_is_not_found(api_client, method):
    response = getattr(api_client, method)(
        f"{SEGMENTS}/999", {}, content_type="application/json"
    )

    assert response.status_code == 404
    assert response.json()["error"]["message"] == "No segment matches."
