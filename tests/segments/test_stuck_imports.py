"""Imports whose worker died are queued again, then given up on."""

from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from segments import services
from segments.models import ImportStatus, SegmentImport
from tests.factories import make_segment


def running_job(company, attempts: int, silent_for: timedelta) -> SegmentImport:
    job = SegmentImport.all_companies.create(
        company=company,
        segment=make_segment(company),
        mode="add",
        status=ImportStatus.RUNNING,
        attempts=attempts,
        heartbeat_at=timezone.now() - silent_for,
        file_size=20,
    )
    job.file.save("stuck.csv", ContentFile(b"idfa\n"), save=True)
    return job


def test_silent_import_is_queued_again_and_runs(company, settings):
    settings.IMPORT_STUCK_AFTER_SECONDS = 60
    job = running_job(company, attempts=1, silent_for=timedelta(minutes=5))
    job.file.save("stuck.csv", ContentFile(b"custom_id\nabc\n"), save=True)

    requeued = services.reset_stuck_imports()

    job.refresh_from_db()
    assert requeued == 1
    assert (job.status, job.added, job.attempts) == (ImportStatus.SUCCEEDED, 1, 2)


def test_import_stuck_three_times_fails(company, settings):
    settings.IMPORT_STUCK_AFTER_SECONDS = 60
    job = running_job(company, attempts=3, silent_for=timedelta(minutes=5))

    services.reset_stuck_imports()

    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert "three times" in job.error_message


def test_recent_import_is_left_running(company, settings):
    settings.IMPORT_STUCK_AFTER_SECONDS = 600
    job = running_job(company, attempts=1, silent_for=timedelta(minutes=1))

    assert services.reset_stuck_imports() == 0

    job.refresh_from_db()
    assert job.status == ImportStatus.RUNNING
