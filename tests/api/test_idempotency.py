"""A request repeated with its Idempotency-Key is answered, not run, again."""

import hashlib
import json
import threading

import pytest
from django.db import connections
from django.test import Client
from django.utils import timezone

from herow_segments.accounts.models import ApiKey, IdempotentRequest
from herow_segments.accounts.services import purge_idempotent_requests
from segments.models import Member, Segment
from tests.factories import make_segment, random_ids

SEGMENTS = "/api/v1/segments"


def post(client, url, body, key, method="post"):
    return getattr(client, method)(
        url, body, content_type="application/json", headers={"Idempotency-Key": key}
    )


def test_replayed_create_returns_first_answer(api_client):
    first = post(api_client, SEGMENTS, {"name": "Once"}, "create-1")

    again = post(api_client, SEGMENTS, {"name": "Once"}, "create-1")

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert again["Location"] == first["Location"]
    assert Segment.objects.count() == 1


def test_replayed_delete_changes_nothing(api_client, company):
    segment = make_segment(company, "Doomed")
    url = f"{SEGMENTS}/{segment.pk}"
    post(api_client, url, "", "delete-1", method="delete")

    again = post(api_client, url, "", "delete-1", method="delete")

    assert again.status_code == 204
    assert again["Idempotent-Replayed"] == "true"


def test_replayed_members_change_nothing(api_client, company):
    segment = make_segment(company, "Members")
    url = f"{SEGMENTS}/{segment.pk}/members"
    body = {"members": [{"type": "custom_id", "id": "a"}]}
    first = post(api_client, url, body, "add-1")
    post(api_client, url, body, "remove-1", method="delete")

    again = post(api_client, url, body, "add-1")

    assert again.json() == first.json() == {**again.json(), "added": 1}
    assert not Member.objects.get(segment=segment).is_active


def test_key_reused_with_another_body_is_refused(api_client):
    post(api_client, SEGMENTS, {"name": "First"}, "same-key")

    response = post(api_client, SEGMENTS, {"name": "Second"}, "same-key")

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "idempotency_key_reused"
    assert "POST /api/v1/segments" in response.json()["error"]["message"]
    assert not Segment.objects.filter(name="Second").exists()


def test_failed_request_can_be_retried(api_client, company):
    taken = make_segment(company, "Taken")
    refused = post(api_client, SEGMENTS, {"name": "Taken"}, "retry-me")
    taken.name = "Renamed"
    taken.save()

    retried = post(api_client, SEGMENTS, {"name": "Taken"}, "retry-me")

    assert refused.status_code == 409
    assert retried.status_code == 201


def test_keys_of_two_api_keys_do_not_meet(client, make_api_key):
    _, first = make_api_key(name="First")
    _, second = make_api_key(name="Second")
    headers = {"Idempotency-Key": "shared"}

    for index, secret in enumerate((first, second)):
        client.post(
            SEGMENTS,
            {"name": f"Segment {index}"},
            content_type="application/json",
            headers={**headers, "Authorization": f"Bearer {secret}"},
        )

    assert Segment.objects.count() == 2


@pytest.mark.parametrize("key", ["", "x" * 256, "naïve", "tab\tkey"])
def test_malformed_idempotency_key_is_refused(api_client, key):
    response = post(api_client, SEGMENTS, {"name": "x"}, key)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_idempotency_key"


def test_expired_answer_is_not_replayed(api_client):
    post(api_client, SEGMENTS, {"name": "Old"}, "old-key")
    IdempotentRequest.objects.update(
        created_at=timezone.now() - timezone.timedelta(hours=25)
    )
    Segment.objects.all().delete()

    response = post(api_client, SEGMENTS, {"name": "Old"}, "old-key")

    assert response.status_code == 201
    assert "Idempotent-Replayed" not in response


def test_purge_deletes_expired_answers(api_client):
    post(api_client, SEGMENTS, {"name": "Old"}, "old-key")
    post(api_client, SEGMENTS, {"name": "New"}, "new-key")
    IdempotentRequest.objects.filter(key="old-key").update(
        created_at=timezone.now() - timezone.timedelta(hours=25)
    )

    deleted = purge_idempotent_requests()

    assert deleted == 1
    assert list(IdempotentRequest.objects.values_list("key", flat=True)) == ["new-key"]


def test_request_still_running_is_a_conflict(api_client):
    owner = ApiKey.all_companies.get()
    now = timezone.now()
    IdempotentRequest.objects.create(
        api_key=owner,
        key="busy",
        method="POST",
        path=SEGMENTS,
        fingerprint=fingerprint_of({"name": "Busy"}),
        created_at=now,
        claimed_at=now,
    )

    response = post(api_client, SEGMENTS, {"name": "Busy"}, "busy")

    assert response.status_code == 409
    assert response["Retry-After"] == "1"
    assert response.json()["error"]["code"] == "idempotency_key_in_use"


def fingerprint_of(body: dict) -> str:
    text = json.dumps(body, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicates_run_once(client, make_api_key, company):
    segment = make_segment(company, "Raced")
    _, secret = make_api_key()
    body = {"members": [{"type": "advertising_id", "id": i} for i in random_ids(2_000)]}
    answers, start = [], threading.Barrier(4)

    def send():
        start.wait()
        try:
            answers.append(
                Client().post(
                    f"{SEGMENTS}/{segment.pk}/members",
                    body,
                    content_type="application/json",
                    headers={
                        "Authorization": f"Bearer {secret}",
                        "Idempotency-Key": "raced",
                    },
                )
            )
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    statuses = sorted(answer.status_code for answer in answers)
    added = [answer.json()["added"] for answer in answers if answer.status_code == 200]
    assert set(statuses) <= {200, 409}
    assert added and set(added) == {2_000}
    segment.refresh_from_db()
    assert segment.revision == 1
    assert segment.member_count == 2_000
