"""Use cases of places, devices, location events and visits."""

import hashlib
import logging
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from events import storage
from events.models import Device, Event, Place, Tag, Visit
from events.place_csv import PlaceRow, RowError, read_place_file
from events.validation import (
    PLACE_TYPE_VALUES,
    EventInput,
    ItemRejected,
    TimeLimits,
    parse_item,
)
from events.visits import StayEvent, recompute_visits
from herow_segments.accounts.models import Company
from segments.models import IdType, Member, Segment

logger = logging.getLogger(__name__)

KEY_PERSON = b"herow-event-key"
PURGE_CHUNK_ROWS = 10_000
PLACE_FIELDS = [
    "name",
    "external_id",
    "latitude",
    "longitude",
    "radius_m",
    "address",
    "brand",
    "category",
]
IDENTIFIER_FIELDS = {
    IdType.DEVICE_ID: "device_id",
    IdType.ADVERTISING_ID: "advertising_id",
    IdType.CUSTOM_ID: "custom_id",
}


@dataclass
class IngestResult:
    """What one batch of events did."""

    accepted: int = 0
    duplicates: int = 0
    rejected: list[dict] = field(default_factory=list)

    def reject(self, index: int, reason: str) -> None:
        self.rejected.append({"index": index, "reason": reason})


def ingest_events(
    company, items: Sequence, *, received_at: datetime | None = None
) -> IngestResult:
    """Check a batch of reported events and store the valid ones."""
    received_at = received_at or timezone.now()
    limits = current_time_limits(received_at)
    result = IngestResult()
    inputs = []
    for index, item in enumerate(items):
        try:
            inputs.append(parse_item(index, item, limits))
        except ItemRejected as error:
            result.reject(index, str(error))

    store_events(company, inputs, received_at, result)
    result.rejected.sort(key=lambda rejection: rejection["index"])
    logger.info(
        "events ingested company_id=%s items=%s accepted=%s duplicates=%s rejected=%s",
        company.pk,
        len(items),
        result.accepted,
        result.duplicates,
        len(result.rejected),
    )
    return result


def current_time_limits(received_at: datetime) -> TimeLimits:
    tolerance = settings.EVENT_FUTURE_TOLERANCE
    return TimeLimits(
        latest=received_at + tolerance,
        earliest=received_at - timedelta(days=settings.EVENT_RETENTION_DAYS),
        tolerance=tolerance,
        retention_days=settings.EVENT_RETENTION_DAYS,
    )


def store_events(
    company,
    inputs: Sequence[EventInput],
    received_at: datetime,
    result: IngestResult,
) -> None:
    """Store checked events with their devices and refresh the visits they touch.

    Devices are written in a short transaction of their own: every batch
    touches hundreds of devices, and a device row locked until the events
    are stored would make concurrent batches wait for each other. The
    events and visits are written in one transaction that first locks the
    batch's (device, place) pairs, so the visits of one pair are derived by
    one batch at a time.
    """
    places = resolve_places(company, [item.place_ref for item in inputs])
    known = []
    for item in inputs:
        if item.place_ref is not None and item.place_ref not in places:
            result.reject(item.index, f"place {item.place_ref!r} does not exist")
        else:
            known.append(item)
    with transaction.atomic():
        storage.relax_commit()
        devices = storage.upsert_devices(company.pk, device_rows(known))

    rows = {}
    for item in known:
        row = event_row(company.pk, item, devices, places, received_at)
        if row[1] in rows:
            result.duplicates += 1
        rows[row[1]] = row
    pairs = {(row[3], row[4]) for row in rows.values() if row[2] in PLACE_TYPE_VALUES}

    with transaction.atomic():
        new_pairs = storage.lock_pairs(company.pk, pairs)
        inserted = storage.insert_events(list(rows.values()))
        stored_pairs = set()
        # The whole history of a new pair is in this batch: its visits need
        # no query for its earlier events or visits.
        new_pair_events = {pair: [] for pair in new_pairs}
        for key, row in rows.items():
            if key in inserted and row[2] in PLACE_TYPE_VALUES:
                pair = (row[3], row[4])
                stored_pairs.add(pair)
                if pair in new_pair_events:
                    new_pair_events[pair].append(
                        StayEvent(row[5], row[2], row[10], key)
                    )
        recompute_visits(company.pk, stored_pairs, new_pair_events)
    result.accepted += len(inserted)
    result.duplicates += len(rows) - len(inserted)


def resolve_places(company, refs: Iterable) -> dict:
    """Map place references of the company to pks: an id or an external id.

    A string is an external id first; a string of digits that names no
    external id is taken as the place's id.
    """
    wanted = {ref for ref in refs if ref is not None}
    if not wanted:
        return {}
    names = {ref for ref in wanted if isinstance(ref, str)}
    numbers = {ref for ref in wanted if isinstance(ref, int)}
    numbers |= {int(ref) for ref in names if ref.isdigit() and len(ref) < 19}
    numbers = {number for number in numbers if -(2**63) <= number < 2**63}
    rows = storage.find_places(company.pk, numbers, names)
    pks = set()
    by_external_id = {}
    for pk, external_id in rows:
        pks.add(pk)
        if external_id:
            by_external_id[external_id] = pk
    resolved = {}
    for ref in wanted:
        if isinstance(ref, str) and ref in by_external_id:
            resolved[ref] = by_external_id[ref]
        elif str(ref).isdigit() and int(ref) in pks:
            resolved[ref] = int(ref)
    return resolved


def device_rows(inputs: Sequence[EventInput]) -> list[storage.DeviceRow]:
    """Merge a batch's reports into one row per device, latest values first."""
    reports: dict[str, list[EventInput]] = {}
    for item in inputs:
        reports.setdefault(item.device.device_id, []).append(item)
    rows = []
    for device_id, items in reports.items():
        if len(items) > 1:
            items.sort(key=lambda item: item.occurred_at)
        row = storage.DeviceRow(
            device_id, "", "", "", "", items[0].occurred_at, items[-1].occurred_at
        )
        for item in items:
            report = item.device
            row.advertising_id = report.advertising_id or row.advertising_id
            row.custom_id = report.custom_id or row.custom_id
            row.platform = report.platform or row.platform
            row.app_version = report.app_version or row.app_version
        rows.append(row)
    return rows


def event_row(company_id, item: EventInput, devices, places, received_at) -> tuple:
    """Return the event as a row in storage.EVENT_COLUMNS order."""
    device_pk = devices[item.device.device_id]
    place_pk = places.get(item.place_ref) if item.place_ref is not None else None
    return (
        company_id,
        event_key(item, device_pk, place_pk),
        item.type,
        device_pk,
        place_pk,
        item.occurred_at,
        received_at,
        item.latitude,
        item.longitude,
        item.accuracy_m,
        item.duration_s,
    )


def event_key(item: EventInput, device_pk: int, place_pk: int | None) -> str:
    """Return the key that makes a second delivery of the event a duplicate.

    A 128-bit hash in hexadecimal, stored in a UUID column.
    """
    if item.event_id:
        identity = f"id|{item.event_id}"
    else:
        moment = item.occurred_at.astimezone(UTC).isoformat()
        identity = (
            f"{device_pk}|{item.type}|{place_pk or ''}|{moment}|{item.duration_s}"
        )
    return hashlib.blake2b(
        identity.encode(), digest_size=16, person=KEY_PERSON
    ).hexdigest()


def find_devices(id_type: int, value: str) -> QuerySet:
    """Return the active company's devices known by this identifier."""
    return Device.objects.filter(**{IDENTIFIER_FIELDS[IdType(id_type)]: value})


def devices_in_segment(segment: Segment) -> QuerySet:
    """Return the devices that any active member of the segment names."""
    members = Member.objects.filter(segment=segment, is_active=True)
    matches = Q()
    for id_type, field_name in IDENTIFIER_FIELDS.items():
        values = members.filter(id_type=id_type).values("value")
        matches |= Q(**{f"{field_name}__in": values})
    return Device.all_companies.filter(matches, company_id=segment.company_id)


def segments_of_device(device: Device) -> list[Segment]:
    """Return the segments whose active members include one of the device's IDs."""
    identifiers = Q()
    for id_type, field_name in IDENTIFIER_FIELDS.items():
        value = getattr(device, field_name)
        if value:
            identifiers |= Q(id_type=id_type, value=value)
    # Members are keyed by segment first: naming the company's segments lets
    # the lookup use that key instead of scanning every member.
    segment_ids = list(
        Segment.all_companies.filter(company_id=device.company_id).values_list(
            "pk", flat=True
        )
    )
    found = (
        Member.objects.filter(identifiers, segment_id__in=segment_ids, is_active=True)
        .values_list("segment_id", flat=True)
        .distinct()
    )
    return list(Segment.all_companies.filter(pk__in=list(found)).order_by("name"))


def recent_visits(device: Device, limit: int = 50) -> QuerySet:
    return (
        Visit.all_companies.filter(device=device)
        .select_related("place")
        .order_by("-entered_at", "-pk")[:limit]
    )


def purge_old_events(now: datetime | None = None) -> tuple[int, int]:
    """Delete the events and visits older than the retention period."""
    started = time.monotonic()
    cutoff = (now or timezone.now()) - timedelta(days=settings.EVENT_RETENTION_DAYS)
    logger.info("event purge started cutoff=%s", cutoff.isoformat())
    events = delete_in_chunks(Event.all_companies.filter(occurred_at__lt=cutoff))
    visits = delete_in_chunks(Visit.all_companies.filter(entered_at__lt=cutoff))
    logger.info(
        "event purge finished events=%s visits=%s seconds=%.2f",
        events,
        visits,
        time.monotonic() - started,
    )
    return events, visits


def delete_in_chunks(queryset: QuerySet) -> int:
    """Delete in short transactions, so a large purge holds no long lock."""
    deleted = 0
    model = queryset.model
    while pks := list(queryset.values_list("pk", flat=True)[:PURGE_CHUNK_ROWS]):
        count, _ = model.all_companies.filter(pk__in=pks).delete()
        deleted += count
    return deleted


def set_place_tags(place: Place, names: Iterable[str]) -> None:
    """Give the place exactly these tags, creating the missing ones."""
    tags = (name.strip().lower() for name in names)
    replace_tags(place.company, [(place, list(dict.fromkeys(t for t in tags if t)))])


@transaction.atomic
def save_place(place: Place, tag_names: Iterable[str]) -> Place:
    """Create or update a place with its tags."""
    is_new = place.pk is None
    place.full_clean()
    place.save()
    set_place_tags(place, tag_names)
    logger.info(
        "place %s place_id=%s company_id=%s",
        "created" if is_new else "updated",
        place.pk,
        place.company_id,
    )
    return place


@transaction.atomic
def delete_place(place: Place) -> None:
    """Delete a place with its events and visits."""
    place_id, company_id = place.pk, place.company_id
    visits, _ = Visit.all_companies.filter(
        company_id=company_id, place_id=place_id
    ).delete()
    events, _ = Event.all_companies.filter(
        company_id=company_id, place_id=place_id
    ).delete()
    place.delete()
    logger.info(
        "place deleted place_id=%s company_id=%s events=%s visits=%s",
        place_id,
        company_id,
        events,
        visits,
    )


@dataclass
class PlaceImportResult:
    """What one CSV file of places did, or the errors that stopped it."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0

    @property
    def is_imported(self) -> bool:
        return not self.error_count


def import_places(company, data: bytes) -> PlaceImportResult:
    """Create or update the places of a CSV file, or none if a row is invalid.

    A row whose external ID names an existing place updates that place; any
    other row creates a place. Raise PlaceFileRejected for unreadable files.
    """
    rows, errors = read_place_file(data, settings.PLACE_IMPORT_MAX_ROWS)
    result = PlaceImportResult(rows=len(rows) + len({e.line for e in errors}))
    if errors:
        result.errors = errors[: settings.IMPORT_ERROR_SAMPLE_SIZE]
        result.error_count = len(errors)
        logger.warning(
            "place import refused company_id=%s rows=%s errors=%s",
            company.pk,
            result.rows,
            len(errors),
        )
        return result

    with transaction.atomic():
        result.created, result.updated = upsert_places(company, rows)
    logger.info(
        "places imported company_id=%s created=%s updated=%s",
        company.pk,
        result.created,
        result.updated,
    )
    return result


def upsert_places(company, rows: Sequence[PlaceRow]) -> tuple[int, int]:
    """Store checked rows: update places by external ID, create the others.

    Places whose fields and tags are unchanged are not written, so loading
    the same file again costs only the reads. Run in a transaction: the
    company's row lock makes concurrent imports of one company run one
    after the other, so two files naming one new external ID cannot both
    create it.
    """
    Company.objects.select_for_update().only("pk").get(pk=company.pk)
    external_ids = [row.external_id for row in rows if row.external_id]
    existing = {}
    for start in range(0, len(external_ids), 5_000):
        chunk = external_ids[start : start + 5_000]
        existing.update(
            (place.external_id, place)
            for place in Place.all_companies.filter(
                company=company, external_id__in=chunk
            ).prefetch_related("tags")
        )
    now = timezone.now()
    tagged, changed, fresh = [], [], []
    for row in rows:
        place = existing.get(row.external_id) or Place(company=company)
        is_changed = copy_row(row, place)
        if place.pk is None:
            fresh.append(place)
        elif is_changed:
            place.updated_at = now
            changed.append(place)
        if has_new_tags(place, row.tags):
            tagged.append((place, row.tags))

    Place.all_companies.bulk_update(changed, [*PLACE_FIELDS, "updated_at"], 1_000)
    Place.all_companies.bulk_create(fresh, batch_size=1_000)
    replace_tags(company, tagged)
    return len(fresh), len(changed)


def has_new_tags(place: Place, tags: list[str]) -> bool:
    if place.pk is None:
        return bool(tags)
    return set(place.tag_names) != set(tags)


def copy_row(row: PlaceRow, place: Place) -> bool:
    """Copy the row's fields onto the place; tell whether one changed."""
    is_changed = False
    for name in PLACE_FIELDS:
        value = getattr(row, name)
        if getattr(place, name) != value:
            setattr(place, name, value)
            is_changed = True
    return is_changed


def replace_tags(company, pairs: Sequence[tuple[Place, list[str]]]) -> None:
    """Give each place exactly its listed tags, in a few set-based queries."""
    names = {name for _, tags in pairs for name in tags}
    Tag.all_companies.bulk_create(
        [Tag(company=company, name=name) for name in sorted(names)],
        ignore_conflicts=True,
    )
    tag_pks = dict(
        Tag.all_companies.filter(company=company, name__in=names).values_list(
            "name", "pk"
        )
    )
    through = Place.tags.through
    place_pks = [place.pk for place, _ in pairs]
    for start in range(0, len(place_pks), 1_000):
        through.objects.filter(place_id__in=place_pks[start : start + 1_000]).delete()
    through.objects.bulk_create(
        [
            through(place_id=place.pk, tag_id=tag_pks[name])
            for place, tags in pairs
            for name in tags
        ],
        batch_size=1_000,
    )


def page_of_places(filters: dict, position: tuple | None, limit: int) -> QuerySet:
    """Return the active company's places after the cursor, in pk order."""
    places = Place.objects.prefetch_related("tags").order_by("pk")
    if position is not None:
        places = places.filter(pk__gt=position[0])
    if filters.get("q"):
        places = places.filter(name__icontains=filters["q"])
    for name in ("brand", "category", "external_id"):
        if filters.get(name):
            places = places.filter(**{name: filters[name]})
    if filters.get("tag"):
        places = places.filter(tags__name=filters["tag"].lower())
    return places[:limit]
