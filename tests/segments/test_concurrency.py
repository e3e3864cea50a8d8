"""Imports that run at the same time lose nothing and replace atomically."""

import threading

import pytest
from django.db import connections

from segments import storage
from segments.models import Member, Segment
from tests.factories import import_text, long_csv, make_segment, random_ids


def in_thread(target, *args):
    errors = []

    def run():
        try:
            target(*args)
        except Exception as error:  # reported to the test below
            errors.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, errors


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_adds_lose_nothing(company):
    segment = make_segment(company, "Busy")
    batches = [random_ids(3_000), random_ids(3_000)]
    texts = [long_csv(("advertising_id", i) for i in batch) for batch in batches]

    threads = [in_thread(import_text, company, text, "add", segment) for text in texts]
    for thread, _ in threads:
        thread.join()

    assert [errors for _, errors in threads] == [[], []]
    segment.refresh_from_db()
    assert segment.member_count == 6_000
    assert Member.objects.filter(segment=segment, is_active=True).count() == 6_000


@pytest.mark.django_db(transaction=True)
def test_readers_see_old_members_during_replace(company, monkeypatch):
    segment = make_segment(company, "Swapped")
    old, new = random_ids(50), random_ids(80)
    import_text(company, long_csv(("device_id", i) for i in old), "add", segment)
    removed, release = threading.Event(), threading.Event()
    original_add = storage.MemberStage.add_to

    def paused_add(stage, *args):
        removed.set()
        release.wait(10)
        return original_add(stage, *args)

    monkeypatch.setattr(storage.MemberStage, "add_to", paused_add)
    thread, errors = in_thread(
        import_text,
        company,
        long_csv(("device_id", i) for i in new),
        "replace",
        segment,
    )
    assert removed.wait(10)
    seen_during = Member.objects.filter(segment=segment, is_active=True).count()
    release.set()
    thread.join()

    assert errors == []
    assert seen_during == 50
    assert Segment.all_companies.get(pk=segment.pk).member_count == 80
