"""A marketer downloads the sample, uploads it and reads the counts."""

import pytest

from tests.factories import PASSWORD

pytestmark = pytest.mark.e2e


def log_in(page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base_url}/segments/")


def test_marketer_imports_the_sample_file(
    browser_page, live_server, live_worker, marketer, tmp_path
):
    page = browser_page
    log_in(page, live_server.url, marketer.username)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download sample CSV").click()
    sample = tmp_path / "sample.csv"
    download_info.value.save_as(sample)
    page.get_by_role("link", name="New segment").click()
    page.get_by_label("Name").fill("Sample from the browser")
    page.get_by_label("CSV file of IDs").set_input_files(str(sample))
    page.get_by_role("button", name="Create segment").click()
    page.get_by_test_id("import-done").wait_for(timeout=30_000)

    counts = page.get_by_test_id("import-counts")
    assert counts.locator('[data-count="rows"]').inner_text() == "3"
    assert counts.locator('[data-count="added"]').inner_text() == "3"
    assert counts.locator('[data-count="invalid"]').inner_text() == "0"
    assert counts.locator('[data-count="members"]').inner_text() == "3"
    page.get_by_role("link", name="Open the segment").click()
    assert page.get_by_test_id("member-count").inner_text() == "3"
