"""API keys open the API to their company only, and only as far as scoped."""

import logging

import pytest
from django.utils import timezone

from herow_segments.accounts.models import ApiKey
from herow_segments.accounts.scoping import get_current_company
from herow_segments.accounts.services import revoke_api_key
from tests.factories import make_segment

SEGMENTS = "/api/v1/segments"


def error_of(response) -> dict:
    return response.json()["error"]


@pytest.mark.django_db
def test_request_without_key_is_unauthorised(client):
    response = client.get(SEGMENTS)

    assert response.status_code == 401
    assert error_of(response)["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_bearer_and_header_keys_both_work(client, make_api_key, company):
    make_segment(company, "Visible")
    _, secret = make_api_key()

    bearer = client.get(SEGMENTS, headers={"Authorization": f"Bearer {secret}"})
    header = client.get(SEGMENTS, headers={"X-API-Key": secret})

    assert bearer.status_code == header.status_code == 200
    assert [row["name"] for row in header.json()["results"]] == ["Visible"]


@pytest.mark.parametrize(
    "authorization",
    [
        "Bearer hsk_live_not-a-real-key",
        "Bearer " + "hsk_live_" + "A" * 49,
        "Basic dXNlcjpwYXNz",
        "Bearer ",
        "hsk_live_only-the-key",
    ],
)
def test_wrong_key_is_unauthorised(client, make_api_key, authorization):
    make_api_key()

    response = client.get(SEGMENTS, headers={"Authorization": authorization})

    assert response.status_code == 401
    assert error_of(response)["code"] == "invalid_key"


def test_key_with_a_changed_character_is_unauthorised(client, make_api_key):
    _, secret = make_api_key()
    changed = secret[:20] + ("a" if secret[20] != "a" else "b") + secret[21:]

    response = client.get(SEGMENTS, headers={"Authorization": f"Bearer {changed}"})

    assert response.status_code == 401


def test_revoked_key_is_unauthorised(client, make_api_key, admin_user):
    api_key, secret = make_api_key()
    revoke_api_key(api_key, admin_user)

    response = client.get(SEGMENTS, headers={"Authorization": f"Bearer {secret}"})

    assert response.status_code == 401
    assert error_of(response) == {
        "code": "revoked_key",
        "message": "This API key was revoked.",
        "details": None,
    }


@pytest.mark.parametrize("parameter", ["api_key", "token", "anything"])
def test_key_in_query_string_is_refused(client, make_api_key, parameter):
    _, secret = make_api_key()

    response = client.get(
        f"{SEGMENTS}?{parameter}={secret}",
        headers={"Authorization": f"Bearer {secret}"},
    )

    assert response.status_code == 401
    assert error_of(response)["code"] == "key_in_url"
    assert "revoke the exposed key" in error_of(response)["message"]


def test_key_is_never_logged(client, make_api_key, caplog):
    api_key, secret = make_api_key()
    revoke_api_key(api_key)
    caplog.set_level(logging.DEBUG)

    client.get(SEGMENTS, headers={"Authorization": f"Bearer {secret}"})
    client.get(f"{SEGMENTS}?api_key={secret}")
    client.get(SEGMENTS, headers={"X-API-Key": secret[:-1] + "x"})

    assert caplog.records
    assert secret[9:] not in caplog.text
    assert secret[9:-1] not in caplog.text


def test_read_scope_cannot_write(client, make_api_key):
    _, secret = make_api_key(scopes=["segments:read"])
    headers = {"Authorization": f"Bearer {secret}"}

    read = client.get(SEGMENTS, headers=headers)
    write = client.post(
        SEGMENTS, {"name": "No"}, content_type="application/json", headers=headers
    )

    assert read.status_code == 200
    assert write.status_code == 403
    assert error_of(write) == {
        "code": "missing_scope",
        "message": "This API key lacks the segments:write scope.",
        "details": None,
    }


def test_events_scope_cannot_read_segments(client, make_api_key):
    _, secret = make_api_key(scopes=["events:write"])

    response = client.get(SEGMENTS, headers={"Authorization": f"Bearer {secret}"})

    assert response.status_code == 403
    assert "segments:read" in error_of(response)["message"]


@pytest.mark.parametrize(
    ("ranges", "address", "status"),
    [
        (["10.1.0.0/16"], "10.1.200.7", 200),
        (["10.1.0.0/16"], "10.2.0.1", 403),
        (["10.1.0.0/16", "2001:db8::/32"], "2001:db8::5", 200),
        (["192.0.2.0/24"], "::ffff:192.0.2.9", 200),
        ([], "198.51.100.1", 200),
    ],
)
def test_allowed_ip_ranges_are_enforced(client, make_api_key, ranges, address, status):
    _, secret = make_api_key(allowed_ip_ranges=ranges)

    response = client.get(
        SEGMENTS, headers={"Authorization": f"Bearer {secret}"}, REMOTE_ADDR=address
    )

    assert response.status_code == status
    if status == 403:
        assert error_of(response)["code"] == "ip_not_allowed"


def test_other_company_segment_is_not_found(api_client, other_company):
    foreign = make_segment(other_company, "Theirs")

    urls = [
        f"{SEGMENTS}/{foreign.pk}",
        f"{SEGMENTS}/{foreign.pk}/members",
        f"{SEGMENTS}/{foreign.pk}/changes",
    ]
    responses = [api_client.get(url) for url in urls]
    patch = api_client.patch(urls[0], {"name": "Mine"}, content_type="application/json")

    assert [response.status_code for response in responses] == [404, 404, 404]
    assert patch.status_code == 404
    assert error_of(patch)["message"] == "No segment matches."


def test_other_company_segments_are_not_listed(api_client, company, other_company):
    make_segment(company, "Ours")
    make_segment(other_company, "Theirs")

    response = api_client.get(SEGMENTS)

    assert [row["name"] for row in response.json()["results"]] == ["Ours"]


def test_first_use_is_recorded(client, make_api_key):
    api_key, secret = make_api_key()

    client.get(SEGMENTS, headers={"Authorization": f"Bearer {secret}"})

    assert ApiKey.all_companies.get(pk=api_key.pk).last_used_at is not None


def test_use_within_a_minute_writes_nothing(
    client, make_api_key, django_assert_num_queries
):
    api_key, secret = make_api_key()
    headers = {"Authorization": f"Bearer {secret}"}
    client.get(SEGMENTS, headers=headers)
    first_use = ApiKey.all_companies.get(pk=api_key.pk).last_used_at

    with django_assert_num_queries(2):
        client.get(SEGMENTS, headers=headers)

    assert ApiKey.all_companies.get(pk=api_key.pk).last_used_at == first_use


def test_use_after_a_minute_is_recorded(client, make_api_key):
    api_key, secret = make_api_key()
    earlier = timezone.now() - timezone.timedelta(minutes=2)
    ApiKey.all_companies.filter(pk=api_key.pk).update(last_used_at=earlier)

    client.get(SEGMENTS, headers={"Authorization": f"Bearer {secret}"})

    assert ApiKey.all_companies.get(pk=api_key.pk).last_used_at > earlier


def test_company_is_not_left_active_after_request(api_client):
    api_client.get(SEGMENTS)

    assert get_current_company() is None


def test_copy_cached_during_revocation_is_not_trusted(make_api_key, admin_user):
    from django.core.cache import cache

    from herow_segments.accounts import services

    api_key, secret = make_api_key()
    stale = services.find_api_key(secret)
    services.revoke_api_key(api_key, admin_user)
    # Another process read the key just before the revocation and caches
    # that copy just after it; it also knows nothing of the revocation.
    cache.set(services.key_cache_name(api_key.key_hash), stale, 30)
    services.recent_keys.forget(api_key.key_hash)

    found = services.find_api_key(secret)

    assert stale.is_revoked is False
    assert found.is_revoked is True
