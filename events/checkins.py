"""Load check-in files in the layout of the Gowalla extract into events.

checkins.csv: user_id, venue_id, utc_timestamp, lat, lng, brand, category.
places.csv (optional): id, name, brand, category, lat, lng and more. Each
venue becomes a place (external_id = venue id), each user a device with a
stable synthetic device_id, each check-in an entry event. The events'
dedup keys make a second run store nothing new.
"""

import csv
import logging
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from events import services
from events.models import EventType
from events.place_csv import PlaceRow
from events.validation import MAX_EVENT_ID_LENGTH, DeviceReport, EventInput

logger = logging.getLogger(__name__)

DEVICE_NAMESPACE = uuid.UUID("8a1d6f3e-2b7c-4e59-a0d4-6c3f9e1b2a75")
EVENTS_PER_TRANSACTION = 5_000


class CheckinFileError(Exception):
    """A file is not in the expected layout; str(exc) says why."""


@dataclass
class CheckinLoad:
    """What one load of check-in files did."""

    places_created: int = 0
    places_updated: int = 0
    devices: int = 0
    rows: int = 0
    accepted: int = 0
    duplicates: int = 0
    skipped: int = 0
    seconds: float = 0.0


def synthetic_device_id(company, user_id: str) -> str:
    """Return the device_id that stands for one user of the data set."""
    return str(uuid.uuid5(DEVICE_NAMESPACE, f"{company.slug}/{user_id}"))


def load_checkins(
    company, checkins_path: Path, places_path: Path | None = None, *, shift=False
) -> CheckinLoad:
    """Load venues as places, users as devices and check-ins as entries."""
    started = time.monotonic()
    load = CheckinLoad()
    logger.info("checkin load started company_id=%s", company.pk)
    checkins = read_checkins(checkins_path)
    places = read_places(places_path) if places_path else venues_of(checkins)
    with transaction.atomic():
        load.places_created, load.places_updated = services.upsert_places(
            company, places
        )

    offset = shift_to_now(checkins) if shift else timedelta(0)
    inputs = [checkin_input(company, row, offset) for row in checkins]
    load.rows = len(inputs)
    load.devices = len({item.device.device_id for item in inputs})
    received_at = timezone.now()
    for start in range(0, len(inputs), EVENTS_PER_TRANSACTION):
        result = services.IngestResult()
        with transaction.atomic():
            services.store_events(
                company,
                inputs[start : start + EVENTS_PER_TRANSACTION],
                received_at,
                result,
            )
        load.accepted += result.accepted
        load.duplicates += result.duplicates
        load.skipped += len(result.rejected)
    load.seconds = time.monotonic() - started
    logger.info(
        "checkin load finished company_id=%s rows=%s accepted=%s duplicates=%s "
        "seconds=%.2f",
        company.pk,
        load.rows,
        load.accepted,
        load.duplicates,
        load.seconds,
    )
    return load


def read_checkins(path: Path) -> list[dict]:
    rows = read_csv(path, {"user_id", "venue_id", "utc_timestamp", "lat", "lng"})
    for row in rows:
        row["occurred_at"] = parse_utc(row["utc_timestamp"], path)
    return rows


def read_places(path: Path) -> list[PlaceRow]:
    return [
        PlaceRow(
            line=line,
            name=(row.get("name") or "").strip()[:200] or f"Venue {row['id']}",
            latitude=float(row["lat"]),
            longitude=float(row["lng"]),
            external_id=row["id"],
            brand=(row.get("brand") or "")[:100],
            category=(row.get("category") or "")[:100],
        )
        for line, row in enumerate(read_csv(path, {"id", "lat", "lng"}), start=2)
    ]


def venues_of(checkins: list[dict]) -> list[PlaceRow]:
    """Make one place per venue from the check-ins, for want of places.csv."""
    venues: dict[str, PlaceRow] = {}
    for line, row in enumerate(checkins, start=2):
        if row["venue_id"] not in venues:
            venues[row["venue_id"]] = PlaceRow(
                line=line,
                name=f"Venue {row['venue_id']}",
                latitude=float(row["lat"]),
                longitude=float(row["lng"]),
                external_id=row["venue_id"],
                brand=(row.get("brand") or "")[:100],
                category=(row.get("category") or "")[:100],
            )
    return list(venues.values())


def read_csv(path: Path, required: set[str]) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as source:
        reader = csv.DictReader(source)
        missing = required - set(reader.fieldnames or ())
        if missing:
            raise CheckinFileError(
                f"{path.name} lacks the column(s) {', '.join(sorted(missing))}."
            )
        return list(reader)


def parse_utc(text: str, path: Path) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise CheckinFileError(f"{path.name}: {text!r} is not a timestamp.") from None
    if moment.tzinfo is None:
        raise CheckinFileError(f"{path.name}: {text!r} has no UTC offset.")
    return moment


def shift_to_now(checkins: list[dict]) -> timedelta:
    """Return the offset that moves the latest check-in to the current hour."""
    if not checkins:
        return timedelta(0)
    latest = max(row["occurred_at"] for row in checkins)
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    return now - latest


def checkin_input(company, row: dict, offset: timedelta) -> EventInput:
    # Named by the check-in as the file gives it, so a second load finds
    # it again whatever shift either load applied.
    event_id = f"checkin/{row['user_id']}/{row['venue_id']}/{row['utc_timestamp']}"
    return EventInput(
        index=0,
        type=EventType.ENTRY,
        device=DeviceReport(synthetic_device_id(company, row["user_id"])),
        occurred_at=row["occurred_at"] + offset,
        event_id=event_id[:MAX_EVENT_ID_LENGTH],
        place_ref=row["venue_id"],
        latitude=float(row["lat"]),
        longitude=float(row["lng"]),
    )
