"""Every dashboard URL stays closed to anonymous visitors and other companies."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from events.models import Device
from tests.factories import import_text, make_place, make_segment

PUBLIC_PREFIXES = ("admin:", "login", "logout", "healthz", "api", "schema", "docs")


def dashboard_routes(resolver=None, namespace=""):
    """Yield (name, parameter names) for every named dashboard route."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = (
                f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            )
            yield from dashboard_routes(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = f"{namespace}{pattern.name}"
            if not name.startswith(PUBLIC_PREFIXES) and "password" not in name:
                yield name, list(pattern.pattern.converters)


@pytest.fixture
def owned_objects(company):
    """One object of the first company for every kind of URL parameter."""
    segment = make_segment(company, "Owned")
    job = import_text(
        company, "id_type,id\ncustom_id,a\ndevice_id,bad\n", "add", segment=segment
    )
    place = make_place(company, "Owned place")
    device = Device.all_companies.create(
        company=company,
        device_id="owned-device",
        first_seen_at=timezone.now(),
        last_seen_at=timezone.now(),
    )
    return {
        "segment_id": segment.pk,
        "import_id": job.pk,
        "place_id": place.pk,
        "device_id": device.pk,
    }


def urls_of(owned_objects):
    """Yield (url, whether it names an object) for every dashboard route."""
    for name, parameters in dashboard_routes():
        kwargs = {parameter: owned_objects[parameter] for parameter in parameters}
        yield reverse(name, kwargs=kwargs), bool(parameters)


def test_dashboard_routes_are_discovered():
    names = {name for name, _ in dashboard_routes()}

    assert {"segments:segment-list", "segments:segment-detail"} <= names
    assert "accounts:settings" in names


def test_anonymous_visitor_is_sent_to_login(client, owned_objects):
    for url, _ in urls_of(owned_objects):
        response = client.get(url)

        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


def test_other_company_gets_not_found(outsider_client, owned_objects):
    for url, names_object in urls_of(owned_objects):
        response = outsider_client.get(url)

        if names_object:
            assert response.status_code == 404, url
        else:
            assert response.status_code in (200, 302, 403, 405), url
            assert b"Owned" not in response.content, url


def test_user_without_company_gets_not_found(client, django_user_model):
    user = django_user_model.objects.create_user("lonely", password="x")
    client.force_login(user)

    response = client.get(reverse("segments:segment-list"))

    assert response.status_code == 404
