"""Set-based writes of devices and events, written for each database vendor.

A batch of events is two statements: one upsert of its devices and one
insert of its events that skips those already stored. Both return what
they wrote, so the caller needs no further query to count duplicates.
"""

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import connection

DEVICE_TABLE = "events_device"
EVENT_TABLE = "events_event"
DEVICE_COLUMNS = (
    "company_id",
    "device_id",
    "advertising_id",
    "custom_id",
    "platform",
    "app_version",
    "first_seen_at",
    "last_seen_at",
)
EVENT_COLUMNS = (
    "company_id",
    "dedup_key",
    "type",
    "device_id",
    "place_id",
    "occurred_at",
    "received_at",
    "latitude",
    "longitude",
    "accuracy_m",
    "duration_s",
)
PG_DEVICE_TYPES = ("bigint", "text", "text", "text", "text", "text")
PG_DEVICE_TYPES += ("timestamptz", "timestamptz")
PG_EVENT_TYPES = ("bigint", "uuid", "text", "bigint", "bigint")
PG_EVENT_TYPES += ("timestamptz", "timestamptz", "float8", "float8", "float8", "int")
NUMBER_TYPES = frozenset(("bigint", "int", "float8"))
# 11 columns × 2,000 rows stays under SQLite's limit of 32,766 parameters.
SQLITE_ROWS_PER_STATEMENT = 2_000


@dataclass
class DeviceRow:
    device_id: str
    advertising_id: str
    custom_id: str
    platform: str
    app_version: str
    first_seen_at: datetime
    last_seen_at: datetime


def upsert_devices(company_id: int, rows: Sequence[DeviceRow]) -> dict[str, int]:
    """Insert or refresh devices; return their pks by device_id.

    An identifier is replaced only by a non-empty value reported at least as
    late as the device was last seen, so a late delivery of an old event
    cannot bring back a reset advertising ID.
    """
    if not rows:
        return {}
    # A stable order of the locked rows keeps concurrent batches from
    # deadlocking each other.
    ordered = sorted(rows, key=lambda row: row.device_id)
    pks: dict[str, int] = {}
    step = len(ordered) if is_postgres() else SQLITE_ROWS_PER_STATEMENT
    for start in range(0, len(ordered), step):
        pks.update(upsert_device_chunk(company_id, ordered[start : start + step]))
    return pks


def upsert_device_chunk(company_id: int, rows: Sequence[DeviceRow]) -> dict:
    values = [
        (
            company_id,
            row.device_id,
            row.advertising_id,
            row.custom_id,
            row.platform,
            row.app_version,
            adapt_time(row.first_seen_at),
            adapt_time(row.last_seen_at),
        )
        for row in rows
    ]
    source, params = rows_source(values, PG_DEVICE_TYPES)
    newer = f"excluded.last_seen_at >= {DEVICE_TABLE}.last_seen_at"
    updates = ", ".join(
        f"{column} = CASE WHEN excluded.{column} <> '' AND {newer} "
        f"THEN excluded.{column} ELSE {DEVICE_TABLE}.{column} END"
        for column in ("advertising_id", "custom_id", "platform", "app_version")
    )
    least, greatest = ("LEAST", "GREATEST") if is_postgres() else ("MIN", "MAX")
    sql = (
        f"INSERT INTO {DEVICE_TABLE} ({', '.join(DEVICE_COLUMNS)}) {source} "
        "ON CONFLICT (company_id, device_id) DO UPDATE SET "
        f"{updates}, "
        f"first_seen_at = {least}({DEVICE_TABLE}.first_seen_at, "
        "excluded.first_seen_at), "
        f"last_seen_at = {greatest}({DEVICE_TABLE}.last_seen_at, "
        "excluded.last_seen_at) "
        # A late report of old events changes nothing: skipping its write
        # spares a row version, and the pk is read back below instead.
        f"WHERE excluded.last_seen_at >= {DEVICE_TABLE}.last_seen_at "
        f"OR excluded.first_seen_at < {DEVICE_TABLE}.first_seen_at "
        "RETURNING id, device_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        pks = {device_id: pk for pk, device_id in cursor.fetchall()}
    missing = [row.device_id for row in rows if row.device_id not in pks]
    if missing:
        pks.update(select_device_pks(company_id, missing))
    return pks


def select_device_pks(company_id: int, device_ids: list[str]) -> dict[str, int]:
    placeholders = ", ".join(["%s"] * len(device_ids))
    sql = (
        f"SELECT device_id, id FROM {DEVICE_TABLE} "
        f"WHERE company_id = %s AND device_id IN ({placeholders})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [company_id, *device_ids])
        return dict(cursor.fetchall())


def insert_events(rows: Sequence[tuple]) -> set[str]:
    """Insert event rows (EVENT_COLUMNS order), skipping stored ones.

    Dedup keys are given and returned as 32 hexadecimal digits, the form
    both vendors accept for a UUID column. Return the keys of new rows.
    """
    inserted: set[str] = set()
    if not rows:
        return inserted
    ordered = sorted(rows, key=lambda row: row[1])
    step = len(ordered) if is_postgres() else SQLITE_ROWS_PER_STATEMENT
    for start in range(0, len(ordered), step):
        inserted |= insert_event_chunk(ordered[start : start + step])
    return inserted


def insert_event_chunk(rows: Sequence[tuple]) -> set[str]:
    values = [adapt_event(row) for row in rows]
    source, params = rows_source(values, PG_EVENT_TYPES)
    sql = (
        f"INSERT INTO {EVENT_TABLE} ({', '.join(EVENT_COLUMNS)}) {source} "
        "ON CONFLICT (company_id, dedup_key) DO NOTHING RETURNING dedup_key"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {as_hex(key) for (key,) in cursor.fetchall()}


def rows_source(values: list[tuple], pg_types: tuple[str, ...]) -> tuple[str, list]:
    """Return a SELECT of the rows and its parameters.

    PostgreSQL gets one array literal per column, which both builds and
    parses far faster than a VALUES list of thousands of parameters;
    SQLite gets the VALUES list.
    """
    if is_postgres():
        columns = [
            array_literal(column, pg_type)
            for column, pg_type in zip(zip(*values, strict=True), pg_types, strict=True)
        ]
        casts = ", ".join(f"%s::{pg_type}[]" for pg_type in pg_types)
        return f"SELECT * FROM unnest({casts})", columns
    row = "(" + ", ".join(["%s"] * len(pg_types)) + ")"
    placeholders = ", ".join([row] * len(values))
    params = [value for row_values in values for value in row_values]
    return f"VALUES {placeholders}", params


def array_literal(values: Iterable, pg_type: str) -> str:
    """Write values as a PostgreSQL array literal of the given type."""
    if pg_type in NUMBER_TYPES:
        items = ("NULL" if value is None else str(value) for value in values)
    elif pg_type == "boolean":
        items = ("t" if value else "f" for value in values)
    else:
        items = (
            "NULL" if value is None else quote_array_item(str(value))
            for value in values
        )
    return "{" + ",".join(items) + "}"


def quote_array_item(text: str) -> str:
    if "\\" in text or '"' in text:
        text = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


def adapt_event(row: tuple) -> tuple:
    if is_postgres():
        return row
    company_id, key, type_, device_id, place_id, occurred_at, received_at, *rest = row
    return (
        company_id,
        key,
        type_,
        device_id,
        place_id,
        adapt_time(occurred_at),
        adapt_time(received_at),
        *rest,
    )


def adapt_time(value: datetime):
    if is_postgres():
        return value
    return connection.ops.adapt_datetimefield_value(value)


def as_hex(value) -> str:
    return value.hex if isinstance(value, uuid.UUID) else value


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


VISIT_COLUMNS = (
    "company_id",
    "device_id",
    "place_id",
    "entered_at",
    "exited_at",
    "duration_s",
    "is_closed",
    "is_capped",
)
PG_VISIT_TYPES = ("bigint", "bigint", "bigint", "timestamptz", "timestamptz")
PG_VISIT_TYPES += ("int", "boolean", "boolean")
PAIRS_SOURCE = "unnest(%s::bigint[], %s::bigint[]) AS pair (device_id, place_id)"


def pair_arrays(pairs: Iterable[tuple[int, int]]) -> list[str]:
    devices = ",".join(str(device) for device, _ in pairs)
    places = ",".join(str(place) for _, place in pairs)
    return ["{" + devices + "}", "{" + places + "}"]


def fetch_pair_events(company_id: int, pairs: set[tuple[int, int]]) -> list[tuple]:
    """Return (device, place, occurred_at, type, duration_s, pk) of the pairs.

    PostgreSQL only: joining the exact pairs walks the (device, place)
    index once per pair instead of reading every event of the devices.
    """
    # One index lookup per pair, whatever the statistics say: OFFSET 0 keeps
    # the planner from turning the LATERAL lookup into a join that scans the
    # table, which it does when a fast-growing table's statistics lag. The
    # company and the type are implied: devices belong to one company, and
    # only entry, exit and visit events have a place.
    sql = (
        "SELECT pair.device_id, pair.place_id, e.occurred_at, e.type, "
        f"e.duration_s, e.id FROM {PAIRS_SOURCE} CROSS JOIN LATERAL "
        f"(SELECT occurred_at, type, duration_s, id FROM {EVENT_TABLE} "
        "WHERE device_id = pair.device_id AND place_id = pair.place_id "
        "OFFSET 0) AS e"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, pair_arrays(pairs))
        return cursor.fetchall()


def fetch_pair_visits(company_id: int, pairs: set[tuple[int, int]]) -> list[tuple]:
    """Return (pk, device, place, entered_at, exited_at, duration_s,
    is_closed, is_capped) of the pairs' visits; PostgreSQL only."""
    sql = (
        "SELECT v.id, pair.device_id, pair.place_id, v.entered_at, v.exited_at, "
        f"v.duration_s, v.is_closed, v.is_capped FROM {PAIRS_SOURCE} "
        "CROSS JOIN LATERAL (SELECT id, entered_at, exited_at, duration_s, "
        "is_closed, is_capped FROM events_visit WHERE device_id = pair.device_id "
        "AND place_id = pair.place_id OFFSET 0) AS v"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, pair_arrays(pairs))
        return cursor.fetchall()


def insert_visits(rows: Sequence[tuple]) -> None:
    """Insert visit rows in VISIT_COLUMNS order; PostgreSQL only."""
    if not rows:
        return
    source, params = rows_source(list(rows), PG_VISIT_TYPES)
    sql = f"INSERT INTO events_visit ({', '.join(VISIT_COLUMNS)}) {source}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
