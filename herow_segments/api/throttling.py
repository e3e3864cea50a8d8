"""The per-key rate limit, counted in the Django cache.

A fixed one-minute window per key: simple, one round trip per request
to Redis, and exact across processes when the cache is Redis. With the
local-memory cache (no REDIS_URL) each process counts on its own.
"""

import time

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from rest_framework.throttling import BaseThrottle

WINDOW_SECONDS = 60


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
        return count_request(counter) <= settings.API_RATE_LIMIT_PER_MINUTE

    def wait(self) -> float:
        return self.retry_after


def count_request(counter: str) -> int:
    """Add one to the counter and return it, creating it when missing."""
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        return count_request_in_redis(backend, counter)
    try:
        return cache.incr(counter)
    except ValueError:
        if cache.add(counter, 1, timeout=WINDOW_SECONDS * 2):
            return 1
        # Another request created the counter between incr and add.
        return cache.incr(counter)


def count_request_in_redis(backend: RedisCache, counter: str) -> int:
    """Count in one round trip: INCR creates the key, EXPIRE NX dates it once.

    Django's own incr() first asks whether the key exists, which would make
    the rate limit two round trips on every API request.
    """
    key = backend.make_and_validate_key(counter)
    client = backend._cache.get_client(key, write=True)
    pipeline = client.pipeline(transaction=False)
    pipeline.incr(key)
    pipeline.expire(key, WINDOW_SECONDS * 2, nx=True)
    count, _ = pipeline.execute()
    return count
