"""Background jobs of the accounts app."""

from celery import shared_task

from herow_segments.accounts import services


@shared_task
def purge_idempotent_requests_task() -> None:
    """Delete the saved answers of the API that can no longer be replayed."""
    services.purge_idempotent_requests()
