"""Helpers shared by the benchmarks."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/test"
BENCH_DATABASE = "herow_bench"


def bench_database_url(name: str = BENCH_DATABASE) -> str:
    """Return the URL of a scratch database for benchmarks, creating it."""
    base = os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    if not base.startswith("postgres"):
        raise SystemExit("The benchmarks need PostgreSQL: set DATABASE_URL.")
    server, _, _ = base.rpartition("/")
    subprocess.run(
        ["psql", base, "-qc", f"CREATE DATABASE {name}"],
        capture_output=True,
    )
    return f"{server}/{name}"


def print_figure(label: str, value: float, baseline: float, unit: str) -> None:
    """Print a measured figure beside its baseline and their ratio."""
    ratio = value / baseline if baseline else float("inf")
    print(
        f"{label}: {value:.3f} {unit} | baseline {baseline:.3f} {unit} "
        f"| ratio {ratio:.2f}",
        flush=True,
    )


def server_environment(url: str, **extra: str) -> dict:
    """Return the environment of a production-like server for a benchmark."""
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "off",
        "SECRET_KEY": "bench-only-" + "k" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "off",
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        # The limiter still counts every request; it just never refuses one.
        "API_RATE_LIMIT_PER_MINUTE": str(10**9),
        "LOG_LEVEL": "WARNING",
        # Collected by prepare_server: with DEBUG off the server refuses to
        # start without its static files.
        "STATIC_ROOT": str(ROOT / "var" / "bench-static"),
        **extra,
    }


def prepare_server(environment: dict) -> None:
    """Migrate the benchmark's database and collect the static files."""
    for command in (["migrate", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=environment,
            check=True,
        )


def run_json_module(module: str, *arguments: str, environment: dict) -> dict:
    """Run a Python module in a fresh process; return its last line as JSON."""
    result = subprocess.run(
        [sys.executable, "-m", module, *arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])
