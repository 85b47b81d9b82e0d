"""A partnership admin brings a plan in from its Word document, in a real browser."""

import os

import pytest
from playwright.sync_api import expect

from plans.choices import MembershipRole
from plans.models import Plan
from tests.e2e.test_import import person

pytestmark = pytest.mark.e2e
SCREENSHOTS = os.environ.get("SCREENSHOT_DIR")  # set to keep screenshots of the preview


def test_admin_imports_the_sample_word_document(seeded, sign_in, tmp_path):
    page = sign_in(person("ea.admin", MembershipRole.PARTNERSHIP_ADMIN))
    page.goto("/imports/new/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download a sample document").click()
    sample = tmp_path / "sample.docx"
    download.value.save_as(sample)

    page.get_by_label("Workbook or CSV").set_input_files(sample)
    page.get_by_label("Partnership (for a Word document)").select_option(
        label="East Ayrshire Health and Social Care Partnership"
    )
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.locator("#import-status")).to_contain_text("Nothing has been written yet")
    expect(page.locator("#word-tables tbody tr")).to_have_count(6)
    expect(page.get_by_role("link", name="Download as a workbook")).to_be_visible()
    for width, height in [(1366, 768), (390, 844)]:
        page.set_viewport_size({"width": width, "height": height})
        if SCREENSHOTS:
            page.screenshot(path=f"{SCREENSHOTS}/word-preview-{width}.png", full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"the preview overflows by {overflow}px at {width}px wide"

    page.get_by_role("button", name="Import").click()
    expect(page.locator("#import-status")).to_contain_text("Imported")
    plan = Plan.objects.get(title="Children's Services Improvement Plan", start_year=2021)
    assert plan.actions.count() == 5 and plan.partnership.slug == "east-ayrshire-hscp"
