"""An upload is imported by a real Celery worker through the broker."""

import time

from django.urls import reverse

from segments.models import ImportStatus, SegmentImport
from tests.factories import csv_upload, random_ids


def wait_for_import(timeout: float = 30) -> SegmentImport:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = SegmentImport.all_companies.first()
        if job and job.is_finished:
            return job
        time.sleep(0.2)
    raise AssertionError("the worker did not finish the import in time")


def test_worker_imports_an_uploaded_file(live_worker, client, marketer):
    client.force_login(marketer)
    ids = random_ids(500)

    response = client.post(
        reverse("segments:segment-create"),
        {"name": "From worker", "file": csv_upload("idfa\n" + "\n".join(ids))},
    )
    job = wait_for_import()

    assert response.status_code == 302
    assert job.status == ImportStatus.SUCCEEDED
    assert (job.rows, job.added, job.member_count) == (500, 500, 500)
