"""Set-based writes of devices and events, written for each database vendor.

A batch of events is two statements: one upsert of its devices and one
insert of its events that skips those already stored. Both return what
they wrote, so the caller needs no further query to count duplicates.
"""

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

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
    adapt = time_adapter()
    values = [
        (
            company_id,
            row.device_id,
            row.advertising_id,
            row.custom_id,
            row.platform,
            row.app_version,
            adapt(row.first_seen_at),
            adapt(row.last_seen_at),
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
    values = rows if is_postgres() else [adapt_event(row) for row in rows]
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
    parses far faster than a VALUES list of thousands of parameters. Times
    travel as whole microseconds since the epoch, which Python writes four
    times faster than ISO dates; the SELECT turns them back into times.
    SQLite gets the VALUES list.
    """
    if is_postgres():
        arrays, outputs, names = [], [], []
        params = []
        columns = zip(*values, strict=True)
        for number, (column, pg_type) in enumerate(zip(columns, pg_types, strict=True)):
            name = f"c{number}"
            names.append(name)
            if pg_type == "timestamptz":
                params.append(microseconds_literal(column))
                arrays.append("%s::bigint[]")
                outputs.append(f"{EPOCH_SQL} + {name} * interval '1 microsecond'")
            else:
                params.append(array_literal(column, pg_type))
                arrays.append(f"%s::{pg_type}[]")
                outputs.append(name)
        source = (
            f"SELECT {', '.join(outputs)} FROM unnest({', '.join(arrays)}) "
            f"AS source ({', '.join(names)})"
        )
        return source, params
    row = "(" + ", ".join(["%s"] * len(pg_types)) + ")"
    placeholders = ", ".join([row] * len(values))
    params = [value for row_values in values for value in row_values]
    return f"VALUES {placeholders}", params


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
EPOCH_SQL = "timestamptz '1970-01-01 00:00:00+00'"
MICROSECOND = timedelta(microseconds=1)


def microseconds_literal(values: Iterable[datetime | None]) -> str:
    """Write aware datetimes as a bigint array of microseconds since the epoch."""
    items = (
        "NULL" if value is None else str((value - EPOCH) // MICROSECOND)
        for value in values
    )
    return "{" + ",".join(items) + "}"


def array_literal(values: Sequence, pg_type: str) -> str:
    """Write values as a PostgreSQL array literal of the given type."""
    if pg_type in NUMBER_TYPES:
        items = ("NULL" if value is None else str(value) for value in values)
        return "{" + ",".join(items) + "}"
    if pg_type == "boolean":
        return "{" + ",".join("t" if value else "f" for value in values) + "}"
    texts = [None if value is None else str(value) for value in values]
    joined = "" if None in texts else UNIT_SEPARATOR.join(texts)
    if not joined or joined.count(UNIT_SEPARATOR) != len(texts) - 1:
        items = ("NULL" if text is None else quote_array_item(text) for text in texts)
        return "{" + ",".join(items) + "}"
    # Every item quoted: one join and two replacements over the whole
    # column instead of a call per item.
    if "\\" in joined or '"' in joined:
        joined = joined.replace("\\", "\\\\").replace('"', '\\"')
    return '{"' + joined.replace(UNIT_SEPARATOR, '","') + '"}'


# Joins the items of a column; a column with an item that holds it is
# written item by item instead.
UNIT_SEPARATOR = "\x1f"


def quote_array_item(text: str) -> str:
    if "\\" in text or '"' in text:
        text = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


def adapt_event(row: tuple) -> tuple:
    """Return an event row with its times as SQLite stores them."""
    company_id, key, type_, device_id, place_id, occurred_at, received_at, *rest = row
    adapt = connection.ops.adapt_datetimefield_value
    return (
        company_id,
        key,
        type_,
        device_id,
        place_id,
        adapt(occurred_at),
        adapt(received_at),
        *rest,
    )


def time_adapter():
    """Return the function that turns a datetime into a query parameter."""
    if is_postgres():
        return lambda value: value
    return connection.ops.adapt_datetimefield_value


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
PAIR_TABLE = "events_deviceplace"


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


def lock_pairs(company_id: int, pairs: Iterable[tuple[int, int]]) -> set[tuple]:
    """Record the (device, place) pairs and lock their rows until commit.

    Run inside the transaction that stores the pairs' events and derives
    their visits. Return the pairs recorded just now: they had no events
    before this batch. Rows are created and locked in key order, so
    concurrent batches wait for each other only where they share a pair,
    and never deadlock. SQLite, which runs one writing transaction at a
    time, only records them.
    """
    ordered = sorted(set(pairs))
    if not ordered:
        return set()
    if not is_postgres():
        return record_pairs_portably(company_id, ordered)
    # DO UPDATE with a false condition updates nothing but locks every
    # stored row; unlike a separate SELECT ... FOR UPDATE it also locks a
    # pair that a concurrent batch created while this one waited for it.
    sql = (
        f"INSERT INTO {PAIR_TABLE} (company_id, device_id, place_id) "
        f"SELECT %s, device_id, place_id FROM {PAIRS_SOURCE} "
        "ON CONFLICT (device_id, place_id) DO UPDATE "
        "SET company_id = excluded.company_id WHERE FALSE "
        "RETURNING device_id, place_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [company_id, *pair_arrays(ordered)])
        return set(cursor.fetchall())


def record_pairs_portably(company_id: int, ordered: list[tuple[int, int]]) -> set:
    returning = connection.features.can_return_rows_from_bulk_insert
    suffix = " RETURNING device_id, place_id" if returning else ""
    created = set()
    for start in range(0, len(ordered), SQLITE_ROWS_PER_STATEMENT):
        chunk = ordered[start : start + SQLITE_ROWS_PER_STATEMENT]
        placeholders = ", ".join(["(%s, %s, %s)"] * len(chunk))
        params = [value for pair in chunk for value in (company_id, *pair)]
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {PAIR_TABLE} (company_id, device_id, place_id) "
                f"VALUES {placeholders} ON CONFLICT (device_id, place_id) "
                f"DO NOTHING{suffix}",
                params,
            )
            if returning:
                created.update(cursor.fetchall())
    return created


def find_places(company_id: int, numbers: set[int], names: set[str]) -> list[tuple]:
    """Return (pk, external_id) of the company's places with these ids."""
    if is_postgres():
        sql = (
            "SELECT id, external_id FROM events_place WHERE company_id = %s "
            "AND (id = ANY(%s::bigint[]) OR external_id = ANY(%s::text[]))"
        )
        params = [company_id, sorted(numbers), sorted(names)]
    else:
        numbers_in = ", ".join(["%s"] * len(numbers)) or "NULL"
        names_in = ", ".join(["%s"] * len(names)) or "NULL"
        sql = (
            "SELECT id, external_id FROM events_place WHERE company_id = %s "
            f"AND (id IN ({numbers_in}) OR external_id IN ({names_in}))"
        )
        params = [company_id, *numbers, *names]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def relax_commit() -> None:
    """Let the current transaction commit without waiting for the disk.

    For writes that a later synchronous commit of the same connection makes
    durable anyway: PostgreSQL flushes its log in order, so when the
    events of a batch are safely stored, so are its devices.
    """
    if is_postgres():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
