"""Each event is one log line, printed once."""

import io
import logging

import pytest
from django.utils.log import configure_logging


@pytest.fixture
def console(settings):
    """Return the stream of the console handler, configured as at start-up.

    Configured again here since a test that runs a Celery worker may have
    replaced the root logger's handlers.
    """
    configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)
    handler = next(
        handler
        for handler in logging.getLogger().handlers
        if getattr(handler, "name", None) == "console"
    )
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


@pytest.mark.parametrize("debug", [True, False])
def test_refused_page_is_one_line_printed_once(
    marketer_client, console, settings, debug
):
    settings.DEBUG = debug

    response = marketer_client.get("/settings/api/keys/")

    lines = console.getvalue().splitlines()
    assert response.status_code == 403
    assert len(lines) == 1, lines
    assert "Forbidden" in lines[0] and "/settings/api/keys/" in lines[0]


def test_server_error_keeps_its_traceback(console):
    logger = logging.getLogger("django.request")
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        logger.exception("Internal Server Error: /x", extra={"status_code": 500})

    assert "Traceback" in console.getvalue()
    assert "RuntimeError: boom" in console.getvalue()
