"""Visits derived from entry, exit and visit events, whatever their order."""

import itertools

import pytest

from events.models import Event, Visit
from tests.factories import event_item, make_place


def visit_rows(company):
    return sorted(
        (
            visit.entered_at.isoformat(),
            visit.exited_at.isoformat() if visit.exited_at else None,
            visit.duration_s,
            visit.is_closed,
            visit.is_capped,
        )
        for visit in Visit.all_companies.filter(company=company)
    )


def test_entry_then_exit_makes_one_closed_visit(company, place, ingest):
    items = [
        event_item("entry", place, "2026-06-01T09:00:00Z"),
        event_item("exit", place, "2026-06-01T09:45:30Z"),
    ]

    ingest(items)

    assert visit_rows(company) == [
        ("2026-06-01T09:00:00+00:00", "2026-06-01T09:45:30+00:00", 2730, True, False)
    ]


@pytest.mark.parametrize(
    "order",
    list(itertools.permutations(range(4))),
    ids=lambda order: "".join(map(str, order)),
)
def test_arrival_order_gives_same_visits(company, place, ingest, order):
    timeline = [
        event_item("entry", place, "2026-06-01T08:00:00Z"),
        event_item("exit", place, "2026-06-01T08:20:00Z"),
        event_item("entry", place, "2026-06-01T10:00:00Z"),
        event_item("exit", place, "2026-06-01T11:00:00Z"),
    ]

    for index in order:
        ingest([timeline[index]])

    assert visit_rows(company) == [
        ("2026-06-01T08:00:00+00:00", "2026-06-01T08:20:00+00:00", 1200, True, False),
        ("2026-06-01T10:00:00+00:00", "2026-06-01T11:00:00+00:00", 3600, True, False),
    ]


def test_exit_arriving_before_entry_still_pairs(company, place, ingest):
    ingest([event_item("exit", place, "2026-06-01T09:30:00Z")])
    assert visit_rows(company) == []

    ingest([event_item("entry", place, "2026-06-01T09:00:00Z")])

    assert visit_rows(company) == [
        ("2026-06-01T09:00:00+00:00", "2026-06-01T09:30:00+00:00", 1800, True, False)
    ]


def test_repeated_entries_keep_one_open_visit(company, place, ingest):
    items = [
        event_item("entry", place, "2026-06-01T09:00:00Z"),
        event_item("entry", place, "2026-06-01T09:10:00Z"),
        event_item("entry", place, "2026-06-01T09:20:00Z"),
        event_item("exit", place, "2026-06-01T09:30:00Z"),
    ]

    ingest(items)

    assert visit_rows(company) == [
        ("2026-06-01T09:00:00+00:00", "2026-06-01T09:30:00+00:00", 1800, True, False)
    ]


def test_exit_without_entry_adds_no_visit(company, place, ingest):
    other = make_place(company, "Never entered")
    items = [
        event_item("entry", place, "2026-06-01T09:00:00Z"),
        event_item("exit", place, "2026-06-01T09:30:00Z"),
        event_item("exit", place, "2026-06-01T10:00:00Z"),
        event_item("exit", other, "2026-06-01T10:00:00Z"),
    ]

    result = ingest(items)

    assert result.accepted == 4
    assert Event.all_companies.filter(type="exit").count() == 3
    assert len(visit_rows(company)) == 1


def test_visit_never_closed_adds_no_duration(company, place, ingest):
    ingest([event_item("entry", place, "2026-06-01T09:00:00Z")])

    assert visit_rows(company) == [("2026-06-01T09:00:00+00:00", None, 0, False, False)]


def test_stay_longer_than_cap_is_cut(company, place, ingest, settings):
    items = [
        event_item("entry", place, "2026-05-31T08:00:00Z"),
        event_item("exit", place, "2026-05-31T22:00:00Z"),
    ]

    ingest(items)

    assert visit_rows(company) == [
        ("2026-05-31T08:00:00+00:00", "2026-05-31T22:00:00+00:00", 43200, True, True)
    ]


def test_cap_follows_the_setting(company, place, ingest, settings):
    settings.VISIT_MAX_DURATION = settings.VISIT_MAX_DURATION / 12
    items = [
        event_item("entry", place, "2026-06-01T08:00:00Z"),
        event_item("exit", place, "2026-06-01T10:00:00Z"),
    ]

    ingest(items)

    assert visit_rows(company)[0][2:] == (3600, True, True)


def test_entry_after_cap_leaves_old_visit_unclosed(company, place, ingest):
    items = [
        event_item("entry", place, "2026-05-30T08:00:00Z"),
        event_item("entry", place, "2026-05-31T09:00:00Z"),
        event_item("exit", place, "2026-05-31T09:30:00Z"),
    ]

    ingest(items)

    assert visit_rows(company) == [
        ("2026-05-30T08:00:00+00:00", None, 0, False, False),
        ("2026-05-31T09:00:00+00:00", "2026-05-31T09:30:00+00:00", 1800, True, False),
    ]


def test_visit_event_is_a_visit_on_its_own(company, place, ingest):
    items = [
        event_item("visit", place, "2026-06-01T10:00:00+02:00", duration_s=754),
    ]

    ingest(items)

    assert visit_rows(company) == [
        ("2026-06-01T07:47:26+00:00", "2026-06-01T08:00:00+00:00", 754, True, False)
    ]


def test_same_event_twice_counts_once(company, place, ingest):
    items = [
        event_item("entry", place, "2026-06-01T09:00:00Z"),
        event_item("exit", place, "2026-06-01T09:30:00Z"),
    ]
    ingest(items)

    again = ingest(items + items)

    assert (again.accepted, again.duplicates) == (0, 4)
    assert Event.all_companies.count() == 2
    assert len(visit_rows(company)) == 1


def test_event_id_drops_repeats_at_another_time(company, place, ingest):
    first = event_item("entry", place, "2026-06-01T09:00:00Z", event_id="abc")
    resent = event_item("entry", place, "2026-06-01T09:00:05Z", event_id="abc")

    result = ingest([first, resent])

    assert (result.accepted, result.duplicates) == (1, 1)


def test_devices_and_places_are_paired_apart(company, place, ingest):
    other = make_place(company, "Gym")
    items = [
        event_item("entry", place, "2026-06-01T09:00:00Z", device_id="a"),
        event_item("exit", other, "2026-06-01T09:30:00Z", device_id="a"),
        event_item("exit", place, "2026-06-01T09:30:00Z", device_id="b"),
    ]

    ingest(items)

    assert visit_rows(company) == [("2026-06-01T09:00:00+00:00", None, 0, False, False)]
