"""Each key may send a bounded number of requests a minute."""

SEGMENTS = "/api/v1/segments"


def test_requests_over_the_limit_wait(client, make_api_key, settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 3
    _, secret = make_api_key()
    headers = {"Authorization": f"Bearer {secret}"}

    statuses = [client.get(SEGMENTS, headers=headers).status_code for _ in range(4)]
    refused = client.get(SEGMENTS, headers=headers)

    assert statuses == [200, 200, 200, 429]
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused.json()["error"]["code"] == "throttled"


def test_each_key_has_its_own_limit(client, make_api_key, settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 1
    _, first = make_api_key(name="First")
    _, second = make_api_key(name="Second")

    client.get(SEGMENTS, headers={"Authorization": f"Bearer {first}"})
    response = client.get(SEGMENTS, headers={"Authorization": f"Bearer {second}"})

    assert response.status_code == 200


def test_redis_counter_counts_in_one_window(settings):
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    from herow_segments.api.throttling import WINDOW_SECONDS, add_to_counter
    from tests.conftest import need_service

    backend = caches["default"]
    need_service("Redis", isinstance(backend, RedisCache))
    counter = f"test-rate-{id(settings)}"

    counts = [add_to_counter(counter, 1) for _ in range(3)]

    key = backend.make_and_validate_key(counter)
    ttl = backend._cache.get_client(key).ttl(key)
    backend.delete(counter)
    assert counts == [1, 2, 3]
    assert 0 < ttl <= WINDOW_SECONDS * 2


def test_far_from_the_limit_requests_are_added_in_batches(monkeypatch):
    from django.core.cache import cache

    from herow_segments.api import throttling

    clock = [1_000.0]
    monkeypatch.setattr(throttling.time, "monotonic", lambda: clock[0])
    counts = throttling.LocalCounts()
    counter = f"test-batch-{id(counts)}"

    seen = [counts.count(counter, 1_000_000) for _ in range(10)]
    stored_before = cache.get(counter)
    clock[0] += throttling.SYNC_SECONDS
    after_wait = counts.count(counter, 1_000_000)
    stored_after = cache.get(counter)
    cache.delete(counter)

    assert seen == list(range(1, 11))
    # The first request of a window is added at once, the next nine wait.
    assert stored_before == 1
    assert (after_wait, stored_after) == (11, 11)


def test_two_processes_together_stop_at_the_limit():
    from django.core.cache import cache

    from herow_segments.api import throttling

    first, second = throttling.LocalCounts(), throttling.LocalCounts()
    counter = f"test-shared-{id(first)}"
    limit = 1_000

    allowed = sum(
        process.count(counter, limit) <= limit
        for _ in range(600)
        for process in (first, second)
    )
    stored = cache.get(counter)
    cache.delete(counter)

    # Below half the limit each process may hold back one batch of 1 % of
    # the limit, and no more may slip past the limit than that.
    assert limit <= allowed <= limit + 2 * (limit // 100)
    assert stored == 1_200
