"""Background jobs of the segments app."""

from celery import shared_task

from segments import services


@shared_task
def run_import_task(import_id: int) -> None:
    """Import the file of one queued import job."""
    services.run_import(import_id)


@shared_task
def reset_stuck_imports_task() -> None:
    """Queue again the imports whose worker stopped without finishing."""
    services.reset_stuck_imports()
