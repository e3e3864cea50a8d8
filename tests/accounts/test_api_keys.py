"""Admins create, see and revoke API keys under Settings."""

import hashlib
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from herow_segments.accounts.models import ApiKey, ApiKeyEvent
from herow_segments.accounts.services import is_well_formed_key

LIST_URL = "/settings/api/keys/"
NEW_URL = "/settings/api/keys/new/"


def create_key(client, **fields):
    data = {"name": "CRM sync", "scopes": ["segments:read"], **fields}
    return client.post(NEW_URL, data)


def test_marketer_cannot_open_api_keys(marketer_client):
    settings_page = marketer_client.get(reverse("accounts:settings"))

    responses = [marketer_client.get(url) for url in (LIST_URL, NEW_URL)]

    assert [response.status_code for response in responses] == [403, 403]
    assert LIST_URL not in settings_page.content.decode()


def test_admin_sees_the_menu_entry(admin_client_of_company):
    response = admin_client_of_company.get(reverse("accounts:settings"))

    assert reverse("accounts:api-key-list") == LIST_URL
    assert f'href="{LIST_URL}"' in response.content.decode()


def test_new_key_is_shown_once(admin_client_of_company):
    response = create_key(admin_client_of_company)

    secret = response.context["raw_key"]
    stored = ApiKey.objects.get()
    listing = admin_client_of_company.get(LIST_URL).content.decode()
    assert response["Cache-Control"] == "no-store"
    assert secret in response.content.decode()
    assert secret.startswith("hsk_live_") and len(secret) == 58
    assert is_well_formed_key(secret)
    assert stored.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert stored.prefix == secret[:15]
    assert secret not in listing
    assert f"{stored.prefix}…" in listing


def test_key_records_scopes_ranges_and_creator(admin_client_of_company, admin_user):
    create_key(
        admin_client_of_company,
        scopes=["segments:write", "segments:read"],
        allowed_ip_ranges="10.0.0.7/8\n2001:db8::/32, 192.0.2.1",
    )

    stored = ApiKey.objects.get()
    assert stored.scopes == ["segments:read", "segments:write"]
    assert stored.allowed_ip_ranges == ["10.0.0.0/8", "2001:db8::/32", "192.0.2.1/32"]
    assert stored.created_by == admin_user


def test_bad_ip_range_is_explained(admin_client_of_company):
    response = create_key(admin_client_of_company, allowed_ip_ranges="10.0.0.300/8")

    assert response.status_code == 200
    assert "is not an IP range such as 203.0.113.0/24" in response.content.decode()
    assert not ApiKey.objects.exists()


def test_revoke_is_written_to_the_audit_log(admin_client_of_company, admin_user):
    create_key(admin_client_of_company)
    api_key = ApiKey.objects.get()

    response = admin_client_of_company.post(
        reverse("accounts:api-key-revoke"), {"api_key": api_key.pk}
    )

    api_key.refresh_from_db()
    page = admin_client_of_company.get(LIST_URL).content.decode()
    assert response.status_code == 302
    assert api_key.is_revoked and api_key.revoked_by == admin_user
    assert list(ApiKeyEvent.objects.values_list("action", "actor_label")) == [
        ("revoked", "admin@acme.example"),
        ("created", "admin@acme.example"),
    ]
    assert "Revoked" in page and "CRM sync" in page


def test_other_company_key_cannot_be_revoked(outsider_client, make_api_key):
    api_key, _ = make_api_key()

    response = outsider_client.post(
        reverse("accounts:api-key-revoke"), {"api_key": api_key.pk}
    )

    assert response.status_code == 404
    api_key.refresh_from_db()
    assert not api_key.is_revoked


def test_key_list_shows_only_own_company(outsider_client, make_api_key):
    make_api_key(name="Acme secret sync")

    response = outsider_client.get(LIST_URL)

    assert "Acme secret sync" not in response.content.decode()


def test_command_prints_a_working_key(client, company):
    out, err = io.StringIO(), io.StringIO()

    call_command(
        "create_api_key",
        "--company=acme",
        "--name=Nightly",
        "--scope=segments:read",
        "--scope=segments:write",
        stdout=out,
        stderr=err,
    )

    secret = out.getvalue().strip()
    response = client.get("/api/v1/segments", headers={"X-API-Key": secret})
    assert response.status_code == 200
    assert "it is not shown again" in err.getvalue()
    assert ApiKeyEvent.objects.get().actor_label == "create_api_key command"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--company=nope", "--scope=segments:read"], "No company has the slug"),
        (["--company=acme", "--scope=segments:read", "--allow-ip=x"], "not an IP"),
    ],
)
def test_command_explains_bad_arguments(company, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("create_api_key", "--name=Bad", *arguments)
