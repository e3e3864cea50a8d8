"""The device list and device page, and how devices meet segment members."""

from django.urls import reverse

from events import services
from events.models import Device
from tests.factories import event_item, import_text, long_csv

ADVERTISING_ID = "6d92078a-8246-4ba4-ae5b-76104861e7dc"
REPORT = {
    "device_id": "android-1",
    "advertising_id": ADVERTISING_ID,
    "custom_id": "CRM-7",
}


def test_device_page_shows_identifiers_segments_and_visits(
    marketer_client, company, place, ingest
):
    ingest(
        [
            event_item("entry", place, "2026-06-01T09:00:00Z", device=REPORT),
            event_item("exit", place, "2026-06-01T09:40:00Z", device=REPORT),
        ]
    )
    import_text(company, long_csv([("advertising_id", ADVERTISING_ID)]), name="Fans")
    import_text(company, long_csv([("custom_id", "CRM-7")]), name="Loyal")
    import_text(company, long_csv([("custom_id", "CRM-8")]), name="Others")
    device = Device.all_companies.get()

    page = marketer_client.get(reverse("events:device-detail", args=[device.pk]))

    text = page.content.decode()
    assert ADVERTISING_ID in text and "CRM-7" in text
    assert "Fans" in text and "Loyal" in text and "Others" not in text
    assert "Kamppi Coffee" in text and "40 min" in text


def test_removed_member_no_longer_lists_the_segment(company, ingest):
    ingest([event_item("app_open", None, "2026-06-01T09:00:00Z", device=REPORT)])
    job = import_text(company, long_csv([("custom_id", "CRM-7")]), name="Gone")
    import_text(company, long_csv([("custom_id", "CRM-7")]), "remove", job.segment)

    assert services.segments_of_device(Device.all_companies.get()) == []


def test_devices_in_segment_resolve_each_identifier_type(company, ingest):
    reports = [
        {"device_id": "a", "advertising_id": ADVERTISING_ID},
        {"device_id": "b", "custom_id": "CRM-9"},
        {"device_id": "c"},
        {"device_id": "d"},
    ]
    ingest(
        [
            event_item("app_open", None, "2026-06-01T09:00:00Z", device=report)
            for report in reports
        ]
    )
    job = import_text(
        company,
        long_csv(
            [
                ("advertising_id", ADVERTISING_ID),
                ("custom_id", "CRM-9"),
                ("custom_id", "c"),
            ]
        ),
    )

    devices = services.devices_in_segment(job.segment)

    assert sorted(device.device_id for device in devices) == ["a", "b"]


def test_device_search_matches_any_identifier(marketer_client, ingest):
    ingest([event_item("app_open", None, "2026-06-01T09:00:00Z", device=REPORT)])
    url = reverse("events:device-list")

    by_advertising_id = marketer_client.get(url, {"q": ADVERTISING_ID.upper()})
    by_custom_id = marketer_client.get(url, {"q": "CRM-7"})
    by_nothing = marketer_client.get(url, {"q": "unknown"})

    assert "android-1" in by_advertising_id.content.decode()
    assert "android-1" in by_custom_id.content.decode()
    assert "No device has this identifier." in by_nothing.content.decode()


def test_other_company_cannot_open_a_device(outsider_client, ingest):
    ingest([event_item("app_open", None, "2026-06-01T09:00:00Z")])
    device = Device.all_companies.get()

    response = outsider_client.get(reverse("events:device-detail", args=[device.pk]))

    assert response.status_code == 404
