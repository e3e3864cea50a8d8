"""Import speed and worker memory for a CSV of advertising IDs.

The baseline is what a database engineer would do by hand: psql's \\copy of
the same file into a staging table, then INSERT ... ON CONFLICT DO NOTHING
into a table with a unique index. The product is timed from the stored file
to the segment being ready, in a fresh worker-like process whose peak
resident memory is read from the kernel.
"""

import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from bench import common
from bench.common import bench_database_url, print_figure

ROOT = Path(__file__).resolve().parent.parent
MEMORY_BUDGET_MB = 250
SIZES = (100_000, 1_000_000)


def write_ids_file(path: Path, rows: int) -> None:
    """Write a single-column CSV of random advertising IDs."""
    generator = random.Random(rows)
    with path.open("w") as handle:
        handle.write("advertising_id\n")
        for _ in range(rows):
            handle.write(f"{uuid.UUID(int=generator.getrandbits(128), version=4)}\n")


def psql(url: str, command: str) -> None:
    subprocess.run(["psql", url, "-qv", "ON_ERROR_STOP=1", "-c", command], check=True)


def time_baseline(url: str, path: Path) -> float:
    """Time \\copy into a staging table plus an upsert into an indexed table."""
    psql(
        url,
        "DROP TABLE IF EXISTS bench_stage, bench_member; "
        "CREATE TABLE bench_stage (value text); "
        "CREATE TABLE bench_member (segment_id bigint, id_type smallint, "
        "value varchar(255), PRIMARY KEY (segment_id, id_type, value))",
    )
    started = time.monotonic()
    psql(url, f"\\copy bench_stage FROM '{path}' WITH (FORMAT csv, HEADER true)")
    psql(
        url,
        "INSERT INTO bench_member SELECT 1, 2, value FROM bench_stage "
        "ON CONFLICT DO NOTHING",
    )
    elapsed = time.monotonic() - started
    psql(url, "DROP TABLE bench_stage, bench_member")
    return elapsed


def run_product(url: str, media_root: Path, filename: str) -> dict:
    """Import the file in a fresh process; return its timing and memory."""
    environment = {
        **os.environ,
        "DATABASE_URL": url,
        "MEDIA_ROOT": str(media_root),
        "LOG_LEVEL": "WARNING",
    }
    return common.run_json_module(
        "bench.import_worker", filename, environment=environment
    )


def main() -> None:
    url = bench_database_url()
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url},
        check=True,
    )
    with tempfile.TemporaryDirectory() as folder:
        media_root = Path(folder)
        idle = run_product(url, media_root, "")
        print(f"worker process idle peak memory: {idle['peak_mb']:.0f} MB")
        for rows in SIZES:
            measure_size(url, media_root, rows)


def measure_size(url: str, media_root: Path, rows: int) -> None:
    path = media_root / f"ids-{rows}.csv"
    write_ids_file(path, rows)

    baseline = time_baseline(url, path)
    product = run_product(url, media_root, path.name)

    label = f"import {rows:,} advertising IDs"
    assert product["added"] == rows, product
    print_figure(f"{label}, seconds", product["seconds"], baseline, "s")
    print_figure(
        f"{label}, worker peak memory (budget {MEMORY_BUDGET_MB} MB)",
        product["peak_mb"],
        MEMORY_BUDGET_MB,
        "MB",
    )
