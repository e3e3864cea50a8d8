"""The (device, place) pairs: locked by concurrent batches, deleted with their rows."""

import random
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection, connections

from events import services, storage
from events.models import DevicePlace, Visit
from tests.conftest import need_service
from tests.factories import event_item, make_place

RECEIVED_AT = datetime(2026, 6, 1, 12, tzinfo=UTC)
ROUNDS = 4
CLIENTS = 4
# Each batch waits this long between storing its events and deriving their
# visits, so that batches left to run side by side surely overlap there.
PAUSE_SECONDS = 0.2


def moment(minutes: int) -> str:
    return (RECEIVED_AT - timedelta(days=1, minutes=-minutes)).isoformat()


def run_together(batches, company) -> list:
    """Ingest each batch in its own thread and connection, all at once."""
    barrier = threading.Barrier(len(batches))
    errors = []

    def send(items):
        try:
            barrier.wait()
            services.ingest_events(company, items, received_at=RECEIVED_AT)
        except Exception as error:  # noqa: BLE001 - reported by the test
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(batch,)) for batch in batches]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.mark.django_db(transaction=True)
def test_concurrent_batches_of_one_pair_pair_their_events(company, monkeypatch):
    need_service("PostgreSQL", connection.vendor == "postgresql")
    insert_events = storage.insert_events

    def insert_then_pause(rows):
        inserted = insert_events(rows)
        time.sleep(PAUSE_SECONDS)
        return inserted

    monkeypatch.setattr(storage, "insert_events", insert_then_pause)
    places = [make_place(company, f"Place {number}") for number in range(30)]
    shared = places[0]
    generator = random.Random(7)

    for round_number in range(ROUNDS):
        device = f"shared-{round_number}"
        # Half the rounds start from a pair with an earlier stay, whose row
        # exists already; the others from a pair seen for the first time.
        earlier = []
        if round_number % 2:
            stay = event_item("visit", shared, moment(-3_000), device, duration_s=300)
            services.ingest_events(company, [stay], received_at=RECEIVED_AT)
            earlier = [(300, True)]
        # One client reports the entry, another the exit, the others more
        # entries of the same stay; every batch also carries pairs of its
        # own, so that only the shared pair links the batches.
        batches = []
        for client in range(CLIENTS):
            if client == 1:
                own = [event_item("exit", shared, moment(40), device)]
            else:
                own = [event_item("entry", shared, moment(client), device)]
            others = [
                event_item(
                    "entry",
                    generator.choice(places[1:]),
                    moment(generator.randrange(600)),
                    f"other-{round_number}-{client}-{generator.randrange(20)}",
                )
                for _ in range(150)
            ]
            batch = own + others
            generator.shuffle(batch)
            batches.append(batch)

        errors = run_together(batches, company)

        assert errors == []
        visits = list(
            Visit.all_companies.filter(
                device__device_id=device, place=shared
            ).values_list("duration_s", "is_closed")
        )
        assert sorted(visits) == [*earlier, (40 * 60, True)], f"round {round_number}"


def test_pairs_of_stored_events_are_recorded(company, ingest):
    place = make_place(company, "Kamppi")
    ingest(
        [
            event_item("entry", place, "2026-06-01T10:00:00+00:00"),
            event_item("app_open", None, "2026-06-01T10:01:00+00:00"),
            event_item("exit", place, "2026-06-01T10:30:00+00:00"),
        ]
    )

    pairs = list(DevicePlace.all_companies.values_list("device__device_id", "place"))

    assert pairs == [("dev-1", place.pk)]


@pytest.mark.parametrize("deleted", ["device", "place", "company"])
def test_derived_rows_go_with_their_device_place_or_company(company, ingest, deleted):
    from events.models import Device, Place

    place = make_place(company, "Kamppi")
    ingest(
        [
            event_item("entry", place, "2026-06-01T10:00:00+00:00"),
            event_item("exit", place, "2026-06-01T10:30:00+00:00"),
        ]
    )
    assert Visit.all_companies.count() == DevicePlace.all_companies.count() == 1

    if deleted == "device":
        Device.all_companies.get().delete()
    elif deleted == "place":
        services.delete_place(Place.all_companies.get())
    else:
        company.delete()

    assert Visit.all_companies.count() == DevicePlace.all_companies.count() == 0


@pytest.mark.django_db(transaction=True)
def test_concurrent_place_imports_create_a_place_once(company):
    need_service("PostgreSQL", connection.vendor == "postgresql")
    data = b"name,latitude,longitude,external_id\nRace place,60.1,24.9,RACE-1\n"
    barrier = threading.Barrier(CLIENTS)
    results, errors = [], []

    def run_import():
        try:
            barrier.wait()
            results.append(services.import_places(company, data))
        except Exception as error:  # noqa: BLE001 - reported by the test
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run_import) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    from events.models import Place

    assert errors == []
    assert Place.all_companies.filter(external_id="RACE-1").count() == 1
    assert sorted(result.created for result in results) == [0, 0, 0, 1]
