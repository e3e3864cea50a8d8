"""Run the benchmarks: `python -m bench [NAME ...]`.

Each benchmark module under bench/ measures one target beside a baseline
taken in the same run and prints both with their ratio. They need
PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test).
"""

import importlib
import sys
import time

BENCHMARKS = {
    "imports": "bench.imports",
    "api": "bench.api",
    "events": "bench.events",
}


def main(names: list[str]) -> int:
    unknown = [name for name in names if name not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; known: {list(BENCHMARKS)}")
        return 2
    for name in names or list(BENCHMARKS):
        started = time.monotonic()
        print(f"== {name}", flush=True)
        importlib.import_module(BENCHMARKS[name]).main()
        print(f"== {name} done in {time.monotonic() - started:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
