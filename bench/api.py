"""Latency of member pages and throughput of the segment endpoint.

On PostgreSQL with a 1,000,000-member segment, served by gunicorn on
loopback: the 95th percentile of GET members?limit=1000 at random cursors
(target under 50 ms), and the requests per second wrk sustains on
GET /api/v1/segments/{id} beside a bare Django view returning the same
JSON without authentication (target at least 70 %).

The server runs one sync worker per core. Threaded workers share one
listening socket, and the kernel often hands all of wrk's keep-alive
connections to one of them, which halves the rate of that round at
random; a sync worker accepts only when idle, so the load stays even.
The two views are measured in alternating rounds, and each figure is the
median of its rounds.
"""

import base64
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

import requests

from bench import common
from bench.common import bench_database_url, print_figure

ROOT = Path(__file__).resolve().parent.parent
PAGE_REQUESTS = 300
PAGE_LIMIT = 1_000
LATENCY_TARGET_MS = 50
THROUGHPUT_TARGET = 0.70
WRK_SECONDS = 8
WRK_CONNECTIONS = 8
ROUNDS = 3
WRK = shutil.which("wrk")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_environment(url: str) -> dict:
    return common.server_environment(
        url, **{"DJANGO_SETTINGS_MODULE": "bench.api_site"}
    )


def prepare(environment: dict) -> dict:
    common.prepare_server(environment)
    return common.run_json_module("bench.api_data", environment=environment)


def start_server(environment: dict, port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "herow_segments.wsgi",
            f"--bind=127.0.0.1:{port}",
            f"--workers={os.cpu_count() or 2}",
            "--worker-class=sync",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=environment,
    )
    return server


def wait_for_server(base: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            requests.get(f"{base}/healthz", timeout=5)
            return
        except requests.RequestException:
            time.sleep(0.5)
    raise SystemExit("gunicorn did not answer within 60 seconds")


def member_cursor(segment_id: int, value: str) -> str:
    """Encode a members cursor as herow_segments.api.pagination does."""
    text = json.dumps([f"members:{segment_id}", 2, value], separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def measure_pages(base: str, segment_id: int, headers: dict) -> list[float]:
    """Return the seconds of each page request at a random position."""
    session = requests.Session()
    session.headers.update(headers)
    url = f"{base}/api/v1/segments/{segment_id}/members"
    generator = random.Random(1)
    timings = []
    for number in range(PAGE_REQUESTS + 20):
        position = str(uuid.UUID(int=generator.getrandbits(128)))
        started = time.perf_counter()
        response = session.get(
            url,
            params={"limit": PAGE_LIMIT, "cursor": member_cursor(segment_id, position)},
        )
        elapsed = time.perf_counter() - started
        response.raise_for_status()
        if number >= 20:
            timings.append(elapsed)
    return timings


def requests_per_second(url: str, headers: dict) -> float:
    """Run wrk against url and return its requests per second."""
    header_options = [
        option
        for name, value in headers.items()
        for option in ("-H", f"{name}: {value}")
    ]
    command = [WRK, "-t2", f"-c{WRK_CONNECTIONS}", *header_options, url]
    subprocess.run(
        [*command[:1], "-d2s", *command[1:]], capture_output=True, check=True
    )
    output = subprocess.run(
        [*command[:1], f"-d{WRK_SECONDS}s", *command[1:]],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    if "Non-2xx" in output:
        raise SystemExit(f"wrk saw errors:\n{output}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1])


def main() -> None:
    if WRK is None:
        raise SystemExit("bench api needs wrk (apt-get install wrk)")
    environment = server_environment(bench_database_url())
    data = prepare(environment)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    headers = {"Authorization": f"Bearer {data['secret']}"}
    server = start_server(environment, port)
    try:
        wait_for_server(base)
        timings = measure_pages(base, data["segment_id"], headers)
        bare_rounds, api_rounds = [], []
        for _ in range(ROUNDS):
            bare_rounds.append(
                requests_per_second(
                    f"{base}/bench/bare/segments/{data['segment_id']}", {}
                )
            )
            api_rounds.append(
                requests_per_second(
                    f"{base}/api/v1/segments/{data['segment_id']}", headers
                )
            )
    finally:
        server.terminate()
        server.wait(timeout=30)

    p95 = statistics.quantiles(timings, n=20)[-1] * 1000
    median = statistics.median(timings) * 1000
    print(f"members page of {PAGE_LIMIT:,}, median {median:.1f} ms", flush=True)
    print_figure(
        f"members page of {PAGE_LIMIT:,} in a 1,000,000-member segment, p95 "
        f"(target under {LATENCY_TARGET_MS} ms)",
        p95,
        LATENCY_TARGET_MS,
        "ms",
    )
    pairs = zip(api_rounds, bare_rounds, strict=True)
    rounds = ", ".join(f"{api:.0f}/{bare:.0f}" for api, bare in pairs)
    print(f"GET segment req/s by round, API/bare: {rounds}", flush=True)
    print_figure(
        f"GET /api/v1/segments/{{id}} requests/s vs bare view, median of {ROUNDS} "
        f"(target ratio at least {THROUGHPUT_TARGET:.2f})",
        statistics.median(api_rounds),
        statistics.median(bare_rounds),
        "req/s",
    )
