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
