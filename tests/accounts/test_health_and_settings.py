"""Start-up checks, the health endpoint and the company settings page."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*arguments: str, **environment: str) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update(environment)
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_start_names_the_missing_variable(missing):
    values = {"SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "segments.example.com"}
    del values[missing]

    result = run_manage("check", DEBUG="off", **values)

    assert result.returncode != 0
    assert f"The environment variable {missing} must be set" in result.stderr


def test_deploy_check_reports_nothing():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="off",
        SECRET_KEY="k" * 30 + "-Q8vN2mZr7LpX4sT9wYcE6hJ1bUa5dFgK3",
        ALLOWED_HOSTS="segments.example.com",
    )

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_health_reports_database_and_broker(client):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert json.loads(response.content) == {
        "status": "ok",
        "database": "ok",
        "broker": "ok",
    }


@pytest.mark.django_db
def test_health_answers_503_when_broker_is_down(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert json.loads(response.content)["broker"] == "unavailable"


def test_marketer_cannot_change_company_settings(marketer_client, company):
    response = marketer_client.post(
        reverse("accounts:settings"), {"name": "Hacked", "time_zone": "UTC"}
    )

    company.refresh_from_db()
    assert response.status_code == 302
    assert company.name == "Acme Stores"


def test_admin_changes_company_time_zone(admin_client_of_company, company):
    admin_client_of_company.post(
        reverse("accounts:settings"), {"name": "Acme", "time_zone": "Asia/Tokyo"}
    )

    company.refresh_from_db()
    assert company.time_zone == "Asia/Tokyo"
