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

    from herow_segments.api.throttling import WINDOW_SECONDS, count_request
    from tests.conftest import need_service

    backend = caches["default"]
    need_service("Redis", isinstance(backend, RedisCache))
    counter = f"test-rate-{id(settings)}"

    counts = [count_request(counter) for _ in range(3)]

    key = backend.make_and_validate_key(counter)
    ttl = backend._cache.get_client(key).ttl(key)
    backend.delete(counter)
    assert counts == [1, 2, 3]
    assert 0 < ttl <= WINDOW_SECONDS * 2
