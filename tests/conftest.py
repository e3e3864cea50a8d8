"""Personas and service switches shared by the whole suite."""

import os

import pytest
from celery.signals import task_postrun
from django.db import connection, connections

from tests.factories import make_company, make_person

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def need_service(name: str, available: bool) -> None:
    """Skip without the service, or fail when services are required."""
    if available:
        return
    message = f"{name} is not available"
    if REQUIRE_SERVICES:
        pytest.fail(f"{message} but REQUIRE_SERVICES=1")
    pytest.skip(message)


@pytest.fixture(scope="session", autouse=True)
def isolated_broker(tmp_path_factory):
    """Keep the suite's filesystem broker apart from a running `make run`.

    Celery builds its producer pool on first use, even in eager mode, so the
    folder is set once before any test can publish.
    """
    from herow_segments.celery import app

    if not os.environ.get("REDIS_URL"):
        folder = str(tmp_path_factory.mktemp("broker"))
        app.conf.broker_transport_options = {
            "data_folder_in": folder,
            "data_folder_out": folder,
            "control_folder": f"{folder}/control",
        }


@pytest.fixture(scope="session", autouse=True)
def short_lived_connections():
    """Close each thread's connection after its request or task.

    Threads of the live server and the worker would otherwise keep their
    connections past the test and block dropping the test database.
    """
    connections["default"].settings_dict["CONN_MAX_AGE"] = 0


@pytest.fixture(scope="session", autouse=True)
def no_connection_left_open(django_db_setup, django_db_blocker):
    """Fail the run when a connection outlives the tests on PostgreSQL.

    A connection left open keeps the test database from being dropped;
    its last query tells which code opened it.
    """
    yield
    if connection.vendor != "postgresql":
        return
    import time

    own = {
        alias.connection.info.backend_pid
        for alias in connections.all(initialized_only=True)
        if alias.connection is not None and not alias.connection.closed
    }
    name = connection.settings_dict["NAME"]
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        for _ in range(20):
            cursor.execute(
                "SELECT pid, left(query, 200) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                [name],
            )
            left = [row for row in cursor.fetchall() if row[0] not in own]
            if not left:
                return
            time.sleep(0.1)
    pytest.fail(f"connections left open to {name}: {left}")


@pytest.fixture(autouse=True)
def isolated_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CELERY_TASK_ALWAYS_EAGER = True


@pytest.fixture
def company(db):
    return make_company("acme", "Acme Stores")


@pytest.fixture
def other_company(db):
    return make_company("globex", "Globex")


@pytest.fixture
def admin_user(company):
    return make_person(company, "admin@acme.example", "admin")


@pytest.fixture
def marketer(company):
    return make_person(company, "marketer@acme.example", "marketer")


@pytest.fixture
def outsider(other_company):
    return make_person(other_company, "someone@globex.example", "admin")


@pytest.fixture
def marketer_client(client, marketer):
    client.force_login(marketer)
    return client


@pytest.fixture
def admin_client_of_company(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def outsider_client(client, outsider):
    client.force_login(outsider)
    return client


@pytest.fixture
def postgres(db):
    need_service("PostgreSQL", connection.vendor == "postgresql")


@pytest.fixture
def live_worker(settings, transactional_db):
    """Run a real Celery worker in this process, on the configured broker."""
    from celery.contrib.testing.worker import start_worker

    from herow_segments.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    need_service("Redis", bool(settings.REDIS_URL) or not REQUIRE_SERVICES)
    app.conf.task_always_eager = False
    # The worker thread's connection would outlive the test and block the
    # test database from being dropped.
    task_postrun.connect(close_worker_connections)
    try:
        with start_worker(
            app, pool="solo", perform_ping_check=False, loglevel="WARNING"
        ):
            yield app
    finally:
        task_postrun.disconnect(close_worker_connections)
        app.conf.task_always_eager = True


def close_worker_connections(**kwargs) -> None:
    connections.close_all()


ALL_API_SCOPES = ("segments:read", "segments:write", "events:write", "campaigns:read")


@pytest.fixture
def make_api_key(company):
    """Return a function that creates an API key and returns (key, secret)."""
    from herow_segments.accounts.services import issue_api_key

    def make(scopes=ALL_API_SCOPES, owner=None, name="Test key", **options):
        return issue_api_key(
            company=owner or company, name=name, scopes=scopes, **options
        )

    return make


@pytest.fixture
def api_client(client, make_api_key):
    """A test client sending a key of the company with every scope."""
    _, secret = make_api_key()
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    return client
