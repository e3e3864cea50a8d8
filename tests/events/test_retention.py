"""Events and visits older than the retention period are purged."""

from datetime import datetime

from events.models import Event, Visit
from events.tasks import purge_old_events_task
from tests.factories import event_item


def test_purge_removes_only_old_events_and_visits(place, ingest, settings):
    ingest(
        [
            event_item("entry", place, "2025-06-01T09:00:00Z"),
            event_item("entry", place, "2026-05-20T09:00:00Z"),
        ]
    )
    settings.EVENT_RETENTION_DAYS = 30

    from events import services

    events, visits = services.purge_old_events(
        now=datetime.fromisoformat("2026-06-01T12:00:00+00:00")
    )

    assert (events, visits) == (1, 1)
    assert Event.all_companies.get().occurred_at.year == 2026
    assert Visit.all_companies.count() == 1


def test_purge_task_is_scheduled_with_an_expiry(settings, place, ingest):
    entry = settings.CELERY_BEAT_SCHEDULE["purge-old-events"]
    ingest([event_item("entry", place, "2025-06-01T09:00:00Z")])

    purge_old_events_task.delay()

    assert entry["task"] == "events.tasks.purge_old_events_task"
    assert entry["options"]["expires"] > 0
    assert not Event.all_companies.exists()
