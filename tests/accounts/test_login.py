"""Logging in and out and changing one's password."""

from django.urls import reverse

from herow_segments.accounts.models import Membership
from tests.factories import PASSWORD, make_segment


def test_login_leads_to_the_segments(client, marketer):
    response = client.post(
        reverse("login"),
        {"username": marketer.username, "password": PASSWORD},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("segments:segment-list")
    assert "Acme Stores" in response.content.decode()


def test_wrong_password_is_refused(client, marketer):
    response = client.post(
        reverse("login"), {"username": marketer.username, "password": "wrong"}
    )

    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_logout_ends_the_session(marketer_client):
    marketer_client.post(reverse("logout"))

    response = marketer_client.get(reverse("segments:segment-list"))

    assert response.status_code == 302


def test_password_change_takes_effect(marketer_client, marketer):
    marketer_client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-much-longer-secret-42",
            "new_password2": "a-much-longer-secret-42",
        },
    )

    marketer.refresh_from_db()
    assert marketer.check_password("a-much-longer-secret-42")


def test_company_switch_changes_the_visible_data(client, marketer, other_company):
    Membership.all_companies.create(user=marketer, company=other_company)
    make_segment(other_company, "Globex only")
    client.force_login(marketer)

    client.post(
        reverse("accounts:company-switch"),
        {"company": other_company.pk, "next": "/segments/"},
    )
    page = client.get(reverse("segments:segment-list")).content.decode()

    assert "Globex only" in page
