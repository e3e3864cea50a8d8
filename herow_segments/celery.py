"""The Celery application, configured from Django's CELERY_ settings."""

import os

from celery import Celery
from celery.signals import worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "herow_segments.settings")

app = Celery("herow_segments")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def create_broker_folders(**kwargs) -> None:
    """Create the filesystem broker's folders before the worker polls them."""
    from herow_segments.broker import ensure_broker_folders

    ensure_broker_folders()
