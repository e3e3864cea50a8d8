"""Ingestion speed of POST /api/v1/events beside COPY of the same rows.

On PostgreSQL, served by gunicorn on loopback: N events (1,000,000 by
default; `python -m bench.events --events N` for a quick run) in batches of
1,000, sent by 4 concurrent clients over keep-alive connections, over
N/10 devices and 10,000 places. The baseline is COPY of the rows the API
stored, exported and loaded back into the emptied events table with its
indexes, in the same run. Target: at least a third of COPY's rate.
"""

import argparse
import io
import json
import os
import random
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests

from bench import common
from bench.common import bench_database_url, print_figure

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_EVENTS = 1_000_000
BATCH = 1_000
CLIENTS = 4
PLACES = 10_000
TARGET_RATIO = 1 / 3
COMPANY_SLUG = "bench-events"
# A database of its own, so that other benchmarks running at the same time
# neither block nor skew this one.
DATABASE = "herow_bench_events"
TYPES = ["entry"] * 9 + ["exit"] * 9 + ["visit", "app_open"]


def server_environment(url: str) -> dict:
    return common.server_environment(url, EVENT_RETENTION_DAYS="400")


def setup_django(environment: dict) -> None:
    os.environ.update(environment)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "herow_segments.settings")
    import django

    django.setup()


def prepare_company() -> tuple[str, list[int]]:
    """Create an empty bench company with places and an events key."""
    from django.db import connection

    from events.models import Place
    from herow_segments.accounts.models import Company
    from herow_segments.accounts.services import issue_api_key

    # A scratch database: emptying the tables is far faster than deleting
    # a company with a million events row by row.
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE events_visit, events_deviceplace, events_event, "
            "events_place_tags, events_tag, "
            "events_place, events_device"
        )
    Company.objects.filter(slug=COMPANY_SLUG).delete()
    company = Company.objects.create(slug=COMPANY_SLUG, name="Bench events")
    places = Place.all_companies.bulk_create(
        Place(
            company=company,
            name=f"Place {number}",
            external_id=f"P{number}",
            latitude=60 + number / 100_000,
            longitude=24 + number / 100_000,
        )
        for number in range(PLACES)
    )
    _, secret = issue_api_key(company=company, name="bench", scopes=["events:write"])
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE events_event")
    return secret, [place.pk for place in places]


def make_batches(count: int, place_ids: list[int]) -> list[bytes]:
    """Return the request bodies, encoded before the clock starts."""
    generator = random.Random(count)
    devices = max(1, count // 10)
    start = datetime.now(UTC) - timedelta(days=30)
    bodies = []
    for first in range(0, count, BATCH):
        items = []
        for number in range(first, min(count, first + BATCH)):
            type_ = generator.choice(TYPES)
            moment = start + timedelta(seconds=number * 2.5)
            item = {
                "type": type_,
                "device": {
                    "device_id": f"bench-device-{generator.randrange(devices)}",
                    "platform": "android",
                },
                "occurred_at": moment.isoformat(),
            }
            if type_ != "app_open":
                item["place"] = generator.choice(place_ids)
            if type_ == "visit":
                item["duration_s"] = generator.randint(60, 3_600)
            items.append(item)
        bodies.append(json.dumps({"events": items}).encode())
    return bodies


def start_server(environment: dict, port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "herow_segments.wsgi",
            f"--bind=127.0.0.1:{port}",
            f"--workers={CLIENTS}",
            "--log-level=warning",
            "--timeout=120",
        ],
        cwd=ROOT,
        env=environment,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5)
            return server
        except requests.RequestException:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start within 30 seconds")


def send_all(base: str, secret: str, bodies: list[bytes]) -> tuple[float, int]:
    """Send the bodies with CLIENTS threads; return seconds and accepted."""
    queue = list(reversed(bodies))
    lock = threading.Lock()
    totals = {"accepted": 0}
    errors: list[str] = []

    def client() -> None:
        session = requests.Session()
        session.headers.update(
            {"Authorization": f"Bearer {secret}", "Content-Type": "application/json"}
        )
        while True:
            with lock:
                if not queue:
                    return
                body = queue.pop()
            response = session.post(f"{base}/api/v1/events", data=body, timeout=120)
            if response.status_code != 200:
                errors.append(f"{response.status_code} {response.text[:300]}")
                return
            with lock:
                totals["accepted"] += response.json()["accepted"]

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    if errors:
        raise SystemExit(f"the API refused a batch: {errors[0]}")
    return elapsed, totals["accepted"]


def time_copy(company_id: int) -> tuple[float, int]:
    """Export the stored events, empty the table and time COPY back in."""
    from django.db import connection

    buffer = io.BytesIO()
    with connection.cursor() as cursor:
        with cursor.cursor.copy(
            "COPY (SELECT * FROM events_event WHERE company_id = %s) TO STDOUT",
            [company_id],
        ) as copy:
            for chunk in copy:
                buffer.write(chunk)
        cursor.execute("TRUNCATE events_event")
        cursor.execute("CHECKPOINT")
    data = buffer.getvalue()
    rows = data.count(b"\n")

    started = time.monotonic()
    with connection.cursor() as cursor:
        with cursor.cursor.copy("COPY events_event FROM STDIN") as copy:
            for offset in range(0, len(data), 1 << 20):
                copy.write(data[offset : offset + (1 << 20)])
    return time.monotonic() - started, rows


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.events")
    parser.add_argument("--events", type=int, default=DEFAULT_EVENTS)
    count = parser.parse_args(argv or []).events
    environment = server_environment(bench_database_url(DATABASE))
    common.prepare_server(environment)
    setup_django(environment)
    secret, place_ids = prepare_company()
    print(f"{PLACES:,} places ready", flush=True)
    bodies = make_batches(count, place_ids)
    print(f"{count:,} events in {len(bodies):,} batches encoded", flush=True)

    port = free_port()
    server = start_server(environment, port)
    try:
        api_seconds, accepted = send_all(f"http://127.0.0.1:{port}", secret, bodies)
    finally:
        server.terminate()
        server.wait(timeout=30)

    from herow_segments.accounts.models import Company

    company = Company.objects.get(slug=COMPANY_SLUG)
    copy_seconds, rows = time_copy(company.pk)
    print(f"API accepted {accepted:,} events in {api_seconds:.1f} s", flush=True)
    print(f"COPY loaded {rows:,} rows in {copy_seconds:.1f} s", flush=True)
    print_figure(
        f"POST /api/v1/events, {CLIENTS} clients, batches of {BATCH:,}, events/s "
        f"vs COPY (target ratio at least {TARGET_RATIO:.2f})",
        accepted / api_seconds,
        rows / copy_seconds,
        "events/s",
    )


if __name__ == "__main__":
    main(sys.argv[1:])
