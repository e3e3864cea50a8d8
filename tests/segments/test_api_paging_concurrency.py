"""Paging through members while another client changes them."""

import threading

import pytest
from django.db import connections
from django.test import Client

from tests.factories import make_segment, random_ids

SEGMENTS = "/api/v1/segments"


def send(client, segment, method, ids):
    return getattr(client, method)(
        f"{SEGMENTS}/{segment.pk}/members",
        {"members": [{"type": "advertising_id", "id": value} for value in ids]},
        content_type="application/json",
    )


@pytest.mark.django_db(transaction=True)
def test_concurrent_changes_skip_and_repeat_nothing(make_api_key, company):
    segment = make_segment(company, "Moving")
    _, secret = make_api_key()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    steady, churn = random_ids(600), random_ids(300)
    send(Client(**headers), segment, "post", steady)
    stop = threading.Event()

    def keep_changing() -> None:
        writer = Client(**headers)
        try:
            while not stop.is_set():
                send(writer, segment, "post", churn)
                send(writer, segment, "delete", churn)
        finally:
            connections.close_all()

    thread = threading.Thread(target=keep_changing)
    thread.start()
    seen, cursor = [], ""
    try:
        while cursor is not None:
            page = (
                Client(**headers)
                .get(f"{SEGMENTS}/{segment.pk}/members?limit=25&cursor={cursor}")
                .json()
            )
            seen += [item["id"] for item in page["results"]]
            cursor = page["next_cursor"]
    finally:
        stop.set()
        thread.join()

    assert len(seen) == len(set(seen))
    assert set(steady) <= set(seen)
    assert set(seen) <= set(steady) | set(churn)
