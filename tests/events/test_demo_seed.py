"""The demo seed: bundled OpenStreetMap places and simulated visits."""

from io import StringIO

from django.core.management import call_command
from django.urls import reverse

from events.demo import demo_device_id
from events.models import Device, Place, Visit


def test_seed_demo_adds_places_and_simulated_visits(client, db):
    call_command("seed_demo", stdout=StringIO())
    counts = (Place.all_companies.count(), Device.all_companies.count())
    visits = Visit.all_companies.count()

    call_command("seed_demo", stdout=StringIO())

    assert counts == (300, 200)
    assert visits > 1_000
    assert Visit.all_companies.filter(is_closed=True, duration_s__gt=0).exists()
    assert Visit.all_companies.count() == visits
    assert Device.all_companies.count() == 200


def test_demo_pages_say_visits_are_simulated(client, db):
    call_command("seed_demo", stdout=StringIO())
    client.login(username="marketer@demo.example", password="demo-marketer-pass")
    device = Device.all_companies.get(device_id=demo_device_id(0))

    places = client.get(reverse("events:place-list")).content.decode()
    device_page = client.get(device.get_absolute_url()).content.decode()

    for page in (places, device_page):
        assert "simulated" in page
        assert "© OpenStreetMap contributors" in page
    assert "Wine &amp; Dine enthusiasts" in device_page


def test_device_reported_to_the_demo_company_is_not_called_simulated(client, db):
    from events import services
    from herow_segments.accounts.models import Company
    from tests.factories import event_item

    call_command("seed_demo", stdout=StringIO())
    company = Company.objects.get(slug="demo")
    services.ingest_events(
        company, [event_item("app_open", None, "2026-01-01T10:00:00Z", "real-app-1")]
    )
    client.login(username="marketer@demo.example", password="demo-marketer-pass")
    device = Device.all_companies.get(device_id="real-app-1")

    page = client.get(device.get_absolute_url()).content.decode()

    assert 'data-testid="simulated-notice"' not in page
