"""Build a synthetic data set of places, devices, events and visits.

`python -m bench.generate_events [--events N] [--devices D] [--places P]`
fills a scratch PostgreSQL database (herow_bench_dataset) with, by default,
10,000 places, 1,000,000 devices and 10,000,000 events over 90 days: stays
of a device at a place, each an entry and an exit, and the visit they make,
for the benchmarks of segments built on visits. Places are chosen with a
skew (a few places get most visits), brands and categories are spread over
the places, and the same seed gives the same data.

The rows are generated inside PostgreSQL with generate_series, with the
secondary indexes dropped during the load and rebuilt after it, and
foreign key triggers off (session_replication_role = replica): every
reference is valid by construction. Visits are written one per stay, as
the derivation rules make them, except when two stays of one device at one
place overlap, which the random draw makes rare; and one row per (device,
place) pair, as ingestion keeps them.
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

from bench.common import bench_database_url

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "herow_bench_dataset"
COMPANY_SLUG = "synthetic"
BRANDS = [
    "Espresso House",
    "Starbucks",
    "McDonald's",
    "Burger King",
    "Subway",
    "H&M",
    "Zara",
    "Decathlon",
    "Fitness24Seven",
    "Basic-Fit",
    "Carrefour",
    "Lidl",
    "Alko",
    "R-Kioski",
    "Apple Store",
]
CATEGORIES = [
    "amenity=cafe",
    "amenity=restaurant",
    "amenity=fast_food",
    "amenity=bar",
    "shop=clothes",
    "shop=supermarket",
    "shop=convenience",
    "shop=sports",
    "leisure=fitness_centre",
    "railway=station",
    "tourism=hotel",
    "amenity=bank",
]
SECONDARY_INDEXES = {
    "events_event": ["event_device_place", "events_event_place_id_61ecc581"],
    "events_visit": ["visit_place_time", "visit_device_place", "visit_company_time"],
    "events_device": [
        "events_devi_company_347035_idx",
        "events_devi_company_1c98df_idx",
    ],
    "events_deviceplace": ["events_deviceplace_place_id_1e7ef4ec"],
}
UNIQUE_CONSTRAINTS = {"events_event": "unique_event_per_company"}


def sql_array(values: list[str]) -> str:
    quoted = ", ".join("'" + value.replace("'", "''") + "'" for value in values)
    return f"ARRAY[{quoted}]"


def connect(url: str):
    import psycopg

    return psycopg.connect(url, autocommit=True)


def prepare(url: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url},
        check=True,
    )


def reset(connection) -> int:
    """Empty the event tables and return the id of a fresh company."""
    connection.execute(
        "TRUNCATE events_visit, events_deviceplace, events_event, "
        "events_place_tags, events_place, events_device, events_tag"
    )
    connection.execute("DELETE FROM accounts_company WHERE slug = %s", [COMPANY_SLUG])
    row = connection.execute(
        "INSERT INTO accounts_company (name, slug, time_zone, created_at) "
        "VALUES ('Synthetic data', %s, 'Europe/Helsinki', now()) RETURNING id",
        [COMPANY_SLUG],
    ).fetchone()
    return row[0]


def drop_indexes(connection) -> list[str]:
    """Drop the secondary indexes and unique keys; return how to rebuild them."""
    rebuild = []
    for names in SECONDARY_INDEXES.values():
        for name in names:
            row = connection.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = %s", [name]
            ).fetchone()
            if row:
                rebuild.append(row[0])
                connection.execute(f'DROP INDEX "{name}"')
    for table, name in UNIQUE_CONSTRAINTS.items():
        row = connection.execute(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = %s",
            [name],
        ).fetchone()
        if row:
            rebuild.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {row[0]}')
            connection.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    return rebuild


def generate(connection, company: int, events: int, devices: int, places: int):
    stays = events // 2
    connection.execute("SET session_replication_role = replica")
    connection.execute("SET max_parallel_workers_per_gather = 0")
    connection.execute("SET maintenance_work_mem = '512MB'")
    connection.execute("SELECT setseed(0.4242)")
    timed(
        connection,
        "places",
        "INSERT INTO events_place (company_id, name, external_id, latitude, "
        "longitude, radius_m, address, brand, category, created_at, updated_at) "
        f"SELECT {company}, 'Place ' || n, 'S-' || n, "
        "60.10 + random() * 0.2, 24.80 + random() * 0.4, 100, '', "
        f"CASE WHEN n % 5 = 0 THEN ({sql_array(BRANDS)})"
        f"[1 + (n / 5) % {len(BRANDS)}] ELSE '' END, "
        f"({sql_array(CATEGORIES)})[1 + n % {len(CATEGORIES)}], now(), now() "
        f"FROM generate_series(1, {places}) AS n",
    )
    timed(
        connection,
        "devices",
        "INSERT INTO events_device (company_id, device_id, advertising_id, "
        "custom_id, platform, app_version, first_seen_at, last_seen_at) "
        f"SELECT {company}, md5('device/' || n)::uuid::text, "
        "CASE WHEN n % 10 < 7 THEN md5('ad/' || n)::uuid::text ELSE '' END, "
        "CASE WHEN n % 10 < 3 THEN 'CRM-' || n ELSE '' END, "
        "CASE WHEN n % 2 = 0 THEN 'android' ELSE 'ios' END, '3.5.0', "
        "now() - interval '90 days', now() "
        f"FROM generate_series(1, {devices}) AS n",
    )
    first_place = connection.execute(
        "SELECT min(id) FROM events_place WHERE company_id = %s", [company]
    ).fetchone()[0]
    first_device = connection.execute(
        "SELECT min(id) FROM events_device WHERE company_id = %s", [company]
    ).fetchone()[0]
    connection.execute(
        "CREATE TEMPORARY TABLE stay AS "
        f"SELECT n, {first_device} + floor(random() * {devices})::bigint AS device_id, "
        f"{first_place} + floor(power(random(), 3) * {places})::bigint AS place_id, "
        "now() - random() * interval '90 days' AS entered_at, "
        "(60 + floor(exp(random() * 5.3) * 60))::int AS stay_s "
        f"FROM generate_series(1, {stays}) AS n"
    )
    timed(
        connection,
        "events",
        "INSERT INTO events_event (company_id, dedup_key, type, device_id, "
        "place_id, occurred_at, received_at) "
        f"SELECT {company}, md5(stay.n || '/' || kind.type)::uuid, kind.type, "
        "stay.device_id, stay.place_id, "
        "CASE WHEN kind.type = 'entry' THEN stay.entered_at "
        "ELSE stay.entered_at + stay.stay_s * interval '1 second' END, now() "
        "FROM stay CROSS JOIN (VALUES ('entry'), ('exit')) AS kind (type)",
    )
    timed(
        connection,
        "visits",
        "INSERT INTO events_visit (company_id, device_id, place_id, entered_at, "
        "exited_at, duration_s, is_closed, is_capped) "
        f"SELECT {company}, device_id, place_id, entered_at, "
        "entered_at + stay_s * interval '1 second', least(stay_s, 43200), true, "
        "stay_s > 43200 FROM stay",
    )
    # Ingestion locks these rows and reads a pair's history only when its
    # row exists: every pair with events needs one.
    timed(
        connection,
        "device-place pairs",
        "INSERT INTO events_deviceplace (company_id, device_id, place_id) "
        f"SELECT DISTINCT {company}, device_id, place_id FROM stay",
    )
    connection.execute("DROP TABLE stay")


def timed(connection, label: str, sql: str) -> None:
    started = time.monotonic()
    count = connection.execute(sql).rowcount
    print(
        f"  {label}: {count:,} rows in {time.monotonic() - started:.1f} s", flush=True
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.generate_events")
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--devices", type=int, default=1_000_000)
    parser.add_argument("--places", type=int, default=10_000)
    options = parser.parse_args(argv or [])
    url = bench_database_url(DATABASE)
    prepare(url)

    started = time.monotonic()
    with connect(url) as connection:
        company = reset(connection)
        rebuild = drop_indexes(connection)
        generate(connection, company, options.events, options.devices, options.places)
        index_started = time.monotonic()
        for statement in rebuild:
            connection.execute(statement)
        print(f"  indexes rebuilt in {time.monotonic() - index_started:.1f} s")
        connection.execute(
            "ANALYZE events_event, events_visit, events_device, events_deviceplace"
        )
    elapsed = time.monotonic() - started
    print(
        f"{options.events:,} events over {options.devices:,} devices and "
        f"{options.places:,} places in {elapsed:.1f} s "
        f"({options.events / elapsed:,.0f} events/s) into {url.rsplit('/', 1)[1]}, "
        f"company '{COMPANY_SLUG}'",
        flush=True,
    )


if __name__ == "__main__":
    main(sys.argv[1:])
