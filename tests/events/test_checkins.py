"""load_checkins on the real Gowalla extract beside the repository."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from events.checkins import synthetic_device_id
from events.models import Device, Event, EventType, Place, Visit
from tests.conftest import need_service

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"


@pytest.fixture
def data_files():
    need_service("the shared data set", (DATA / "checkins.csv").exists())
    return DATA / "checkins.csv", DATA / "places.csv"


def load(company, checkins, places=None, *extra) -> str:
    output = StringIO()
    arguments = ["load_checkins", "--company", company.slug, str(checkins)]
    if places:
        arguments += ["--places", str(places)]
    call_command(*arguments, *extra, stdout=output)
    return output.getvalue()


def test_real_checkins_load_with_known_facts(company, data_files):
    checkins, places = data_files

    summary = load(company, checkins, places)

    assert "Loaded 48,386 check-ins" in summary
    assert Place.all_companies.count() == 14_157
    assert Device.all_companies.count() == 3_114
    assert Event.all_companies.filter(type=EventType.ENTRY).count() == 48_383
    assert Event.all_companies.filter(place__brand="Starbucks").count() == 877
    assert not Visit.all_companies.filter(is_closed=True).exists()


def test_second_load_stores_nothing_new(company, data_files):
    checkins, places = data_files
    load(company, checkins, places)
    counts = (Event.all_companies.count(), Visit.all_companies.count())

    summary = load(company, checkins, places)

    assert "0 places created, 0 updated" in summary
    assert "0 new events, 48,386 duplicates" in summary
    assert (Event.all_companies.count(), Visit.all_companies.count()) == counts


def test_busiest_user_keeps_a_stable_device(company, data_files):
    checkins, _ = data_files
    load(company, checkins)

    busiest = (
        Event.all_companies.values("device__device_id")
        .annotate(events=Count("pk"))
        .order_by("-events")
        .first()
    )

    assert busiest["events"] == 1_650
    assert Place.all_companies.filter(brand="Starbucks").exists()
    assert synthetic_device_id(company, "1") == synthetic_device_id(company, "1")


def test_shift_moves_the_last_checkin_to_now(company, data_files):
    checkins, places = data_files

    load(company, checkins, places, "--shift-to-now")

    latest = Event.all_companies.latest("occurred_at").occurred_at
    assert latest.year >= 2026


def test_missing_columns_are_reported(company, tmp_path):
    broken = tmp_path / "checkins.csv"
    broken.write_text("user,venue\n1,2\n")

    with pytest.raises(CommandError, match="lacks the column"):
        load(company, broken)


def test_load_at_a_later_hour_with_another_shift_adds_nothing(
    company, tmp_path, monkeypatch
):
    from datetime import timedelta

    from django.utils import timezone

    checkins = tmp_path / "checkins.csv"
    checkins.write_text(
        "user_id,venue_id,utc_timestamp,lat,lng,brand,category\n"
        "7,100,2010-08-01T10:00:00Z,40.75,-73.98,Starbucks,Coffee\n"
        "7,100,2010-08-01T10:00:00Z,40.75,-73.98,Starbucks,Coffee\n"
        "8,101,2010-08-02T09:30:00Z,40.70,-73.99,,Gym\n"
    )
    load(company, checkins, None, "--shift-to-now")
    first = Event.all_companies.count()
    later = timezone.now() + timedelta(hours=3)
    monkeypatch.setattr("events.checkins.timezone.now", lambda: later)

    summary = load(company, checkins, None, "--shift-to-now")
    unshifted = load(company, checkins)

    assert first == 2
    assert "0 new events, 3 duplicates" in summary
    assert "0 new events, 3 duplicates" in unshifted
    assert Event.all_companies.count() == 2
