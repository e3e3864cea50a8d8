"""Demo data: real OpenStreetMap places of Helsinki and simulated visits.

The places come from the bundled ODbL extract (see events/data/README.md).
The devices and their visits are simulated from a fixed random seed: some
devices carry advertising IDs of the demo segments, so the device page has
segments to show.
"""

import functools
import logging
import random
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from events import services
from events.models import Device, EventType, Platform
from events.place_csv import read_place_file
from events.validation import DeviceReport, EventInput
from segments.services import DEMO_SEGMENTS

logger = logging.getLogger(__name__)

PLACES_FILE = Path(__file__).resolve().parent / "data" / "places_helsinki.csv"
RANDOM_SEED = 20_100_801
DEVICE_COUNT = 200
DAYS = 28
DEVICES_PER_SEGMENT = 50
# Helsinki is two or three hours ahead of UTC; visits happen 07:00-21:00.
FIRST_HOUR_UTC = 5
LAST_HOUR_UTC = 19
NO_EXIT_RATE = 0.05


@dataclass
class DemoActivity:
    places: int = 0
    devices: int = 0
    events: int = 0


def demo_device_id(number: int) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"herow-demo-device/{number}"))


@functools.cache
def simulated_device_ids() -> frozenset[str]:
    return frozenset(demo_device_id(number) for number in range(DEVICE_COUNT))


def is_simulated_device(device_id: str) -> bool:
    """Tell whether the demo seed made this device up."""
    return device_id in simulated_device_ids()


def seed_demo_activity(company) -> DemoActivity:
    """Add the Helsinki places and simulated visits once; safe to repeat."""
    started = time.monotonic()
    rows, _ = read_place_file(PLACES_FILE.read_bytes(), max_rows=10_000)
    with transaction.atomic():
        services.upsert_places(company, rows)
    activity = DemoActivity(places=len(rows), devices=DEVICE_COUNT)
    if Device.all_companies.filter(
        company=company, device_id=demo_device_id(0)
    ).exists():
        return activity

    places = services.resolve_places(company, [row.external_id for row in rows])
    inputs = simulate_events(random.Random(RANDOM_SEED), sorted(places.values()))
    result = services.IngestResult()
    with transaction.atomic():
        services.store_events(company, inputs, timezone.now(), result)
    activity.events = result.accepted
    logger.info(
        "demo activity seeded company_id=%s places=%s events=%s seconds=%.2f",
        company.pk,
        activity.places,
        activity.events,
        time.monotonic() - started,
    )
    return activity


def simulate_events(rng: random.Random, place_ids: list[int]) -> list[EventInput]:
    """Return entry and exit events of simulated devices over the last days."""
    today = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
    inputs = []
    for number in range(DEVICE_COUNT):
        device = simulated_device(rng, number)
        favourites = rng.sample(place_ids, rng.randint(3, 6))
        for day in range(DAYS, 0, -1):
            if rng.random() < 0.5:
                continue
            for _ in range(rng.randint(1, 3)):
                is_regular = rng.random() < 0.8
                place = rng.choice(favourites if is_regular else place_ids)
                start = today - timedelta(days=day) + random_time_of_day(rng)
                stay = timedelta(minutes=min(240, rng.lognormvariate(3.2, 0.8)))
                inputs.append(event(device, EventType.ENTRY, place, start))
                if rng.random() >= NO_EXIT_RATE:
                    inputs.append(event(device, EventType.EXIT, place, start + stay))
    return inputs


def simulated_device(rng: random.Random, number: int) -> DeviceReport:
    segment = number // DEVICES_PER_SEGMENT
    if segment < len(DEMO_SEGMENTS):
        name = DEMO_SEGMENTS[segment][0]
        advertising_id = uuid.uuid5(uuid.NAMESPACE_URL, f"{name}/{number}")
    else:
        advertising_id = uuid.UUID(int=rng.getrandbits(128), version=4)
    return DeviceReport(
        device_id=demo_device_id(number),
        advertising_id=str(advertising_id),
        custom_id=f"CRM-{number:06d}" if number % 3 == 0 else "",
        platform=rng.choice([Platform.ANDROID, Platform.IOS]),
        app_version=rng.choice(["3.4.1", "3.5.0", "3.5.2"]),
    )


def random_time_of_day(rng: random.Random) -> timedelta:
    return timedelta(
        hours=rng.randint(FIRST_HOUR_UTC, LAST_HOUR_UTC), minutes=rng.randint(0, 59)
    )


def event(device: DeviceReport, type_: str, place: int, moment) -> EventInput:
    return EventInput(
        index=0, type=type_, device=device, occurred_at=moment, place_ref=place
    )
