"""Headless Debian chromium driven by Playwright against the live server."""

import os
import shutil

import pytest
from django.db import connections

from tests.conftest import need_service

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or ""
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def browser_page(tmp_path):
    need_service("chromium", bool(CHROMIUM))
    from playwright.sync_api import sync_playwright

    # Playwright runs an event loop in this thread; the live server's own
    # thread does the database work, so Django's async guard is moot here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS
        )
        context = browser.new_context(accept_downloads=True)
        page = context.new_page()
        page.set_default_timeout(20_000)
        yield page
        context.close()
        browser.close()
        # While Playwright's loop runs, Django keeps the connections of this
        # thread apart from the ones it closes at the end of the session:
        # close them here, or an idle one keeps the test database alive.
        connections.close_all()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
