"""The per-key rate limit, counted in the Django cache.

A fixed one-minute window per key, shared by every process through the
cache (Redis in production; with the local-memory cache each process
counts on its own).

Asking Redis on every request would cost each request one round trip,
which is a large share of a small GET. Each process therefore counts in
memory and adds its count to the shared counter in batches, while the
key is far from its limit:

- a batch is sent after `SYNC_SECONDS`, or once it holds 1 % of the limit
  (at most `MAX_BATCH` requests), whichever comes first;
- from half the limit on, every request is counted in the cache at once,
  so the refusal at the limit is as exact as with one round trip each.

Below half the limit the shared count can lag by at most one batch per
process and `SYNC_SECONDS` of traffic, which can only delay the moment
the exact counting starts; it never lets a key past its limit by more
than that lag.
"""

import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from rest_framework.throttling import BaseThrottle

WINDOW_SECONDS = 60
SYNC_SECONDS = 0.25
MAX_BATCH = 50
EXACT_FROM_SHARE = 0.5


class ApiKeyRateThrottle(BaseThrottle):
    """Allow API_RATE_LIMIT_PER_MINUTE requests per key and minute."""

    def allow_request(self, request, view) -> bool:
        api_key = request.auth
        if api_key is None:
            return True
        now = time.time()
        window = int(now // WINDOW_SECONDS)
        self.retry_after = (window + 1) * WINDOW_SECONDS - now
        # The hash, not the id, names the counter: ids restart in a fresh
        # database while the cache may still hold an old minute's counts.
        counter = f"api-rate:{api_key.key_hash[:24]}:{window}"
        limit = settings.API_RATE_LIMIT_PER_MINUTE
        return local_counts.count(counter, limit) <= limit

    def wait(self) -> float:
        return self.retry_after


@dataclass
class WindowCount:
    """This process's view of one key's counter in one window."""

    shared: int = 0  # the cache's total when this process last added to it
    pending: int = 0  # requests counted here and not yet added to the cache
    synced_at: float = float("-inf")


class LocalCounts:
    """The counters of this process, added to the cache in batches."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.windows: dict[str, WindowCount] = {}

    def count(self, counter: str, limit: int) -> int:
        """Count one request; return the best known total of the window."""
        now = time.monotonic()
        with self.lock:
            entry = self.windows.get(counter)
            if entry is None:
                entry = self.start_window(counter)
            entry.pending += 1
            estimate = entry.shared + entry.pending
            if not must_sync(entry, estimate, limit, now):
                return estimate
            batch, entry.pending = entry.pending, 0
        try:
            total = add_to_counter(counter, batch)
        except Exception:
            with self.lock:
                entry.pending += batch
            raise
        with self.lock:
            entry.shared = max(entry.shared, total)
            entry.synced_at = now
            return total + entry.pending

    def start_window(self, counter: str) -> WindowCount:
        # A new window of this key makes its older windows useless: drop
        # them, so the dictionary holds about one entry per active key.
        prefix = counter.rpartition(":")[0] + ":"
        for stale in [name for name in self.windows if name.startswith(prefix)]:
            del self.windows[stale]
        entry = self.windows[counter] = WindowCount()
        return entry

    def clear(self) -> None:
        with self.lock:
            self.windows.clear()


def must_sync(entry: WindowCount, estimate: int, limit: int, now: float) -> bool:
    if estimate >= limit * EXACT_FROM_SHARE:
        return True
    if entry.pending >= min(MAX_BATCH, limit // 100):
        return True
    return now - entry.synced_at >= SYNC_SECONDS


local_counts = LocalCounts()


def add_to_counter(counter: str, amount: int) -> int:
    """Add amount to the counter, creating it when missing; return the total."""
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        return add_in_redis(backend, counter, amount)
    try:
        return cache.incr(counter, amount)
    except ValueError:
        if cache.add(counter, amount, timeout=WINDOW_SECONDS * 2):
            return amount
        # Another request created the counter between incr and add.
        return cache.incr(counter, amount)


def add_in_redis(backend: RedisCache, counter: str, amount: int) -> int:
    """Count in one round trip: INCRBY creates the key, EXPIRE NX dates it once.

    Django's own incr() first asks whether the key exists, which would make
    every batch two round trips.
    """
    key = backend.make_and_validate_key(counter)
    client = backend._cache.get_client(key, write=True)
    pipeline = client.pipeline(transaction=False)
    pipeline.incrby(key, amount)
    pipeline.expire(key, WINDOW_SECONDS * 2, nx=True)
    total, _ = pipeline.execute()
    return total
