"""Helpers for the message broker, whichever transport is configured."""

from pathlib import Path

from django.conf import settings
from kombu import Connection


def ensure_broker_folders() -> None:
    """Create the folders the filesystem transport reads and writes."""
    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    for key in (
        "data_folder_in",
        "data_folder_out",
        "processed_folder",
        "control_folder",
    ):
        if key in options:
            Path(options[key]).mkdir(parents=True, exist_ok=True)


def check_broker() -> None:
    """Raise if the broker does not answer within two seconds."""
    ensure_broker_folders()
    connection = Connection(
        settings.CELERY_BROKER_URL,
        transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS,
        connect_timeout=2,
    )
    with connection:
        connection.ensure_connection(max_retries=1, timeout=2)
        if connection.transport_cls == "redis" or "redis" in connection.transport_cls:
            connection.default_channel.client.ping()
