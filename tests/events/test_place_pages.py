"""The place pages, used as a marketer would."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events.models import Event, Place, Visit
from events.services import save_place
from tests.factories import csv_upload, event_item, make_place

VALID_ROW = "name,latitude,longitude\nCafe,60.1,24.9\n"


def test_list_filters_by_brand_category_and_tag(marketer_client, company):
    save_place(make_place(company, "Espresso Kamppi", brand="Espresso House"), ["cafe"])
    save_place(make_place(company, "Gym One", category="leisure=fitness_centre"), [])
    save_place(make_place(company, "Tagged"), ["flagship"])
    url = reverse("events:place-list")

    by_brand = marketer_client.get(url, {"brand": "Espresso House"}).content.decode()
    by_category = marketer_client.get(
        url, {"category": "leisure=fitness_centre"}
    ).content.decode()
    by_tag = marketer_client.get(url, {"tag": "flagship"}).content.decode()
    by_search = marketer_client.get(url, {"q": "gym"}).content.decode()

    assert "Espresso Kamppi" in by_brand and "Gym One" not in by_brand
    assert "Gym One" in by_category and "Tagged" not in by_category
    assert "Tagged" in by_tag and "Gym One" not in by_tag
    assert "Gym One" in by_search and "Tagged" not in by_search


def test_unknown_filter_value_matches_nothing(marketer_client, company):
    save_place(make_place(company, "Espresso Kamppi", brand="Espresso House"), [])

    page = marketer_client.get(
        reverse("events:place-list"), {"brand": "No Such Brand"}
    ).content.decode()

    assert "Espresso Kamppi" not in page
    assert "No place matches these filters." in page


def test_list_queries_do_not_grow_with_places(marketer_client, company):
    url = reverse("events:place-list")
    for number in range(2):
        save_place(make_place(company, f"Place {number}"), ["a", "b"])
    with CaptureQueriesContext(connection) as few:
        marketer_client.get(url)
    for number in range(20):
        save_place(make_place(company, f"More {number}"), ["a", "c"])

    with CaptureQueriesContext(connection) as many:
        response = marketer_client.get(url)

    assert response.status_code == 200
    assert len(many) == len(few)


def test_list_is_paginated(marketer_client, company):
    for number in range(30):
        make_place(company, f"Place {number:02d}")

    page_two = marketer_client.get(reverse("events:place-list"), {"page": 2})

    assert "Page 2 of 2" in page_two.content.decode()


def test_create_place_with_tags(marketer_client):
    response = marketer_client.post(
        reverse("events:place-create"),
        {
            "name": "Central Gym",
            "external_id": "GYM-1",
            "latitude": "60.17",
            "longitude": "24.94",
            "radius_m": "150",
            "tags": "gym|24h",
        },
    )

    place = Place.all_companies.get()
    assert response.status_code == 302
    assert place.radius_m == 150
    assert sorted(place.tag_names) == ["24h", "gym"]


def test_invalid_place_form_names_problems(marketer_client, company):
    make_place(company, "Taken", external_id="GYM-1")

    response = marketer_client.post(
        reverse("events:place-create"),
        {
            "name": "Gym",
            "external_id": "GYM-1",
            "latitude": "95",
            "longitude": "24.94",
            "radius_m": "5",
        },
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "A place with this external ID already exists." in page
    assert "Ensure this value is less than or equal to 90.0." in page
    assert "Ensure this value is greater than or equal to 10." in page


def test_edit_place_changes_its_fields(marketer_client, company):
    place = make_place(company, "Old name")

    marketer_client.post(
        reverse("events:place-edit", args=[place.pk]),
        {"name": "New name", "latitude": "1", "longitude": "2", "radius_m": "100"},
    )

    place.refresh_from_db()
    assert (place.name, place.latitude, place.longitude) == ("New name", 1.0, 2.0)


def test_delete_asks_then_removes_events_and_visits(marketer_client, company, ingest):
    place = make_place(company, "Doomed")
    ingest([event_item("entry", place, "2026-06-01T09:00:00Z")])
    url = reverse("events:place-delete", args=[place.pk])

    confirmation = marketer_client.get(url)
    response = marketer_client.post(url)

    assert "its 1 visit will be deleted" in confirmation.content.decode()
    assert response.status_code == 302
    assert not Place.all_companies.exists()
    assert not Event.all_companies.exists()
    assert not Visit.all_companies.exists()


def test_place_page_shows_recent_visits(marketer_client, company, place, ingest):
    ingest(
        [
            event_item("entry", place, "2026-06-01T09:00:00Z", device_id="phone-1"),
            event_item("exit", place, "2026-06-01T10:05:00Z", device_id="phone-1"),
        ]
    )

    page = marketer_client.get(place.get_absolute_url()).content.decode()

    assert "phone-1" in page
    assert "1 h 05 min" in page


def test_other_company_cannot_open_a_place(outsider_client, place):
    for name in ("events:place-detail", "events:place-edit", "events:place-delete"):
        response = outsider_client.get(reverse(name, args=[place.pk]))

        assert response.status_code == 404, name


def test_anonymous_visitor_is_sent_to_login(client, place):
    response = client.get(reverse("events:place-list"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_sample_csv_imports_cleanly(marketer_client):
    sample = marketer_client.get(reverse("events:place-sample-csv")).content

    response = marketer_client.post(
        reverse("events:place-import"), {"file": csv_upload(sample)}
    )

    assert response.status_code == 302
    assert Place.all_companies.count() == 3
    assert Place.all_companies.get(external_id="HEL-001").tag_names == [
        "coffee",
        "flagship",
    ]


def test_import_with_invalid_row_imports_nothing(marketer_client):
    text = (
        "external_id,name,latitude,longitude,radius_m\n"
        "A,Good,60.1,24.9,100\n"
        "B,,60.1,24.9,100\n"
        "C,Bad lat,123,24.9,100\n"
        "A,Repeat,60.1,24.9,5\n"
    )

    response = marketer_client.post(
        reverse("events:place-import"), {"file": csv_upload(text)}
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "Nothing was imported." in page
    assert "<td>3</td><td>name</td>" in page
    assert "the name is required" in page
    assert "<td>4</td><td>latitude</td>" in page
    assert "expected a number from -90 to 90" in page
    assert "the same external ID is on line 2" in page
    assert "expected whole metres from 10 to 10000" in page
    assert not Place.all_companies.exists()


def test_import_updates_places_by_external_id(marketer_client, company):
    make_place(company, "Old", external_id="A")
    text = "external_id,name,lat,lng,tags\nA,Renamed,1,2,x|y\n,Fresh,3,4,\n"

    marketer_client.post(reverse("events:place-import"), {"file": csv_upload(text)})

    assert Place.all_companies.get(external_id="A").name == "Renamed"
    assert Place.all_companies.count() == 2


def test_import_without_required_columns_is_refused(marketer_client):
    response = marketer_client.post(
        reverse("events:place-import"), {"file": csv_upload("title,lat\nx,1\n")}
    )

    assert "lacks the column(s) name, longitude" in response.content.decode()
    assert not Place.all_companies.exists()


def test_import_accepts_semicolons_and_decimal_commas(marketer_client):
    text = "name;latitude;longitude\nCafe;60,17;24,94\n"

    marketer_client.post(reverse("events:place-import"), {"file": csv_upload(text)})

    assert Place.all_companies.get().latitude == 60.17


@pytest.mark.parametrize(
    "header", ["name,latitude,longitude,latitude", "name,lat,latitude,longitude"]
)
def test_import_with_a_repeated_column_is_refused(marketer_client, header):
    text = f"{header}\nX,60.1,24.9,1\n"

    response = marketer_client.post(
        reverse("events:place-import"), {"file": csv_upload(text)}
    )

    assert "names the column(s) latitude more than once" in response.content.decode()
    assert not Place.all_companies.exists()


def test_import_with_a_nul_byte_names_the_line(marketer_client):
    text = "name,latitude,longitude,external_id\nA,60.1,24.9,a\x00b\n"

    response = marketer_client.post(
        reverse("events:place-import"), {"file": csv_upload(text)}
    )

    page = response.content.decode()
    assert response.status_code in (200, 400)
    assert "holds a control character or a NUL byte" in page
    assert not Place.all_companies.exists()
