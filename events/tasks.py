"""Background jobs of the events app."""

from celery import shared_task

from events import services


@shared_task
def purge_old_events_task() -> None:
    """Delete the events and visits older than the retention period."""
    services.purge_old_events()
