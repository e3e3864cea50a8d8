"""The change feed tells a client who entered and who left, in order."""

import random
import threading

import pytest
from django.db import connections
from django.test import Client

from tests.factories import make_segment, random_ids

SEGMENTS = "/api/v1/segments"


def items(ids) -> list[dict]:
    return [{"type": "custom_id", "id": value} for value in ids]


def change(client, segment, method, ids):
    return getattr(client, method)(
        f"{SEGMENTS}/{segment.pk}/members",
        {"members": items(ids)},
        content_type="application/json",
    )


def sync(client, segment, local: set, cursor: str = "", limit: int = 7) -> str:
    """Apply the feed after cursor to local; return the cursor to keep."""
    while True:
        page = client.get(
            f"{SEGMENTS}/{segment.pk}/changes?limit={limit}&since={cursor}"
        ).json()
        for item in page["results"]:
            if item["change"] == "entered":
                local.add(item["id"])
            else:
                local.discard(item["id"])
        cursor = page["next_cursor"]
        if not page["has_more"]:
            return cursor


def server_members(client, segment) -> set:
    page = client.get(f"{SEGMENTS}/{segment.pk}/members?limit=10000").json()
    return {item["id"] for item in page["results"]}


@pytest.fixture
def segment(company):
    return make_segment(company, "Synced")


def test_feed_lists_entries_then_exits(api_client, segment):
    change(api_client, segment, "post", ["b", "a"])
    change(api_client, segment, "delete", ["b"])

    page = api_client.get(f"{SEGMENTS}/{segment.pk}/changes").json()

    assert page["results"] == [
        {"type": "custom_id", "id": "a", "change": "entered", "revision": 1},
        {"type": "custom_id", "id": "b", "change": "left", "revision": 2},
    ]
    assert page["has_more"] is False


def test_feed_after_last_cursor_is_empty(api_client, segment):
    change(api_client, segment, "post", ["a"])
    cursor = sync(api_client, segment, set())

    page = api_client.get(f"{SEGMENTS}/{segment.pk}/changes?since={cursor}").json()

    assert page == {"results": [], "next_cursor": cursor, "has_more": False}


def test_empty_feed_still_gives_a_cursor(api_client, segment):
    page = api_client.get(f"{SEGMENTS}/{segment.pk}/changes").json()
    change(api_client, segment, "post", ["late"])

    later = api_client.get(
        f"{SEGMENTS}/{segment.pk}/changes?since={page['next_cursor']}"
    ).json()

    assert [item["id"] for item in later["results"]] == ["late"]


def test_client_that_keeps_its_cursor_sees_every_change(api_client, segment):
    pool = [f"id-{number}" for number in range(40)]
    shuffle = random.Random(7)
    local, cursor = set(), ""

    for _ in range(12):
        method = shuffle.choice(["post", "delete", "put"])
        change(api_client, segment, method, shuffle.sample(pool, 9))
        cursor = sync(api_client, segment, local, cursor)

    assert local == server_members(api_client, segment)


def test_cursor_of_another_list_is_refused(api_client, segment):
    change(api_client, segment, "post", ["a", "b"])
    members = api_client.get(f"{SEGMENTS}/{segment.pk}/members?limit=1").json()

    response = api_client.get(
        f"{SEGMENTS}/{segment.pk}/changes?since={members['next_cursor']}"
    )

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_cursor"


@pytest.mark.django_db(transaction=True)
def test_sync_under_concurrent_changes_converges(
    client, make_api_key, company, settings
):
    # The reader polls as fast as it can, past the default rate limit.
    settings.API_RATE_LIMIT_PER_MINUTE = 100_000
    segment = make_segment(company, "Busy")
    _, secret = make_api_key()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    writer, reader = Client(**headers), Client(**headers)
    pool = random_ids(200)
    done = threading.Event()

    def write() -> None:
        shuffle = random.Random(11)
        try:
            for _ in range(25):
                method = shuffle.choice(["post", "delete"])
                change(writer, segment, method, shuffle.sample(pool, 40))
        finally:
            done.set()
            connections.close_all()

    thread = threading.Thread(target=write)
    thread.start()
    local, cursor = set(), ""
    while not done.is_set():
        cursor = sync(reader, segment, local, cursor, limit=13)
    thread.join()
    sync(reader, segment, local, cursor, limit=13)

    assert local == server_members(reader, segment)


def test_feed_cursor_of_another_segment_is_refused(api_client, segment, company):
    other = make_segment(company, "Other")
    change(api_client, segment, "post", ["a"])
    cursor = api_client.get(f"{SEGMENTS}/{segment.pk}/changes").json()["next_cursor"]

    response = api_client.get(f"{SEGMENTS}/{other.pk}/changes?since={cursor}")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_cursor"
