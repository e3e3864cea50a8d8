"""Helpers of the events tests."""

import pytest

from events import services
from tests.factories import make_place


@pytest.fixture
def place(company):
    return make_place(company, "Kamppi Coffee", external_id="HEL-001")


@pytest.fixture
def ingest(company):
    """Ingest items for the company at a fixed arrival time."""

    def run(items, received_at="2026-06-01T12:00:00+00:00"):
        from datetime import datetime

        return services.ingest_events(
            company, items, received_at=datetime.fromisoformat(received_at)
        )

    return run
