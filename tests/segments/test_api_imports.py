"""Large lists go through an import job started and followed by the API."""

import time

import pytest
from django.test import Client

from segments.models import ImportSource, SegmentImport
from tests.factories import csv_upload, long_csv, make_segment, random_ids

SEGMENTS = "/api/v1/segments"


@pytest.fixture
def segment(company):
    return make_segment(company, "Imported via API", kind="api")


def start(client, segment, text, mode="add", **fields):
    return client.post(
        f"{SEGMENTS}/{segment.pk}/imports",
        {"file": csv_upload(text), "mode": mode, **fields},
    )


def test_import_is_accepted_and_finishes(
    api_client, segment, django_capture_on_commit_callbacks
):
    ids = random_ids(3)
    text = long_csv([("advertising_id", value) for value in ids] + [("device_id", "x")])

    with django_capture_on_commit_callbacks(execute=True):
        response = start(api_client, segment, text)
    job = api_client.get(response["Location"]).json()

    assert response.status_code == 202
    assert response.json()["status"] == "queued"
    assert response["Location"].endswith(f"/api/v1/imports/{job['id']}")
    assert SegmentImport.objects.get().source == ImportSource.API
    assert (job["status"], job["progress_percent"]) == ("succeeded", 100)
    assert (job["rows"], job["added"], job["invalid"], job["member_count"]) == (
        4,
        3,
        1,
        3,
    )
    assert job["invalid_sample"][0]["line"] == 5


def test_single_column_import_takes_the_id_type(
    api_client, segment, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = start(api_client, segment, "a\nb\n", id_type="custom_id")

    job = api_client.get(response["Location"]).json()
    assert job["added"] == 2


def test_failed_import_reports_why(
    api_client, segment, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = start(api_client, segment, "just,some\nwords,here\n")

    job = api_client.get(response["Location"]).json()
    assert job["status"] == "failed"
    assert job["error_message"].startswith("No ID column was found")


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"mode": "new"}, "mode"),
        ({"mode": "add", "id_type": "phone"}, "id_type"),
        ({"mode": "add", "extra": "1"}, "extra"),
    ],
)
def test_import_with_bad_fields_is_refused(api_client, segment, fields, field):
    response = api_client.post(
        f"{SEGMENTS}/{segment.pk}/imports", {"file": csv_upload("a\n"), **fields}
    )

    assert response.status_code == 400
    assert field in response.json()["error"]["details"]


def test_import_without_file_is_refused(api_client, segment):
    response = api_client.post(f"{SEGMENTS}/{segment.pk}/imports", {"mode": "add"})

    assert response.status_code == 400
    assert response.json()["error"]["details"]["file"] == ["No file was submitted."]


def test_import_as_json_is_unsupported(api_client, segment):
    response = api_client.post(
        f"{SEGMENTS}/{segment.pk}/imports",
        {"mode": "add"},
        content_type="application/json",
    )

    assert response.status_code == 415


def test_import_over_the_size_limit_is_too_large(api_client, segment, settings):
    settings.IMPORT_MAX_BYTES = 10

    response = start(api_client, segment, "x" * 100_000)

    assert response.status_code == 413


def test_import_into_computed_segment_is_a_conflict(api_client, company):
    native = make_segment(company, "Computed", kind="native")

    response = start(api_client, native, "a\n", id_type="custom_id")

    assert response.status_code == 409
    assert not SegmentImport.objects.exists()


def test_import_of_another_company_is_not_found(api_client, other_company):
    theirs = make_segment(other_company, "Theirs")
    job = SegmentImport.all_companies.create(
        company=other_company, segment=theirs, mode="add", file="x.csv"
    )

    response = api_client.get(f"/api/v1/imports/{job.pk}")

    assert response.status_code == 404


def test_worker_runs_an_api_import(live_worker, make_api_key, company):
    segment = make_segment(company, "Worker", kind="api")
    _, secret = make_api_key()
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    text = long_csv(("custom_id", f"c-{number}") for number in range(300))

    response = start(client, segment, text, mode="replace")
    job = wait_until_finished(client, response["Location"])

    assert job["status"] == "succeeded"
    assert job["member_count"] == 300


def wait_until_finished(client, url: str, timeout: float = 30) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(url).json()
        if job["status"] in ("succeeded", "failed"):
            return job
        time.sleep(0.2)
    raise AssertionError("the worker did not finish the import in time")
