"""The quarter in Excel in a real browser (issue 15): a member downloads the template from the
entry page, fills it (the test does, with openpyxl, as Excel would), uploads it, sees the
preview with one error named by its cell, uploads the corrected file, commits, and finds the
values on the entry page."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tracker.models import IndicatorValue, SpreadsheetImport

from ..spreadsheet_world import breakdown_cell, build_world, fill
from .conftest import needs_chromium
from .test_journey import sign_in

pytestmark = [
    needs_chromium,
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_member_downloads_fills_uploads_fixes_and_commits(
    page, shoot, live_server, institution, member, tmp_path
):
    world = build_world(institution)
    entry = world.period.get_absolute_url()
    sign_in(page, live_server, member, entry)

    # 1. The template, from the entry page.
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the Excel template").click()
    assert download.value.suggested_filename == "nap-2021-Q2-mpfef.xlsx"
    template = download.value.path().read_bytes()

    # 2. Filled offline, with one slip: the breakdown adds up to 110 for a total of 120.
    changes = {
        ("1.1-a", "value"): 120,
        ("1.1-a", breakdown_cell(world, 0, 1)): 10,
        ("1.1-e", "value"): 750_000,
    }
    wrong = tmp_path / "MPFEF T2 2021.xlsx"
    wrong.write_bytes(fill(template, changes))
    page.get_by_role("link", name="Upload a filled template").click()
    page.get_by_label("Filled template (.xlsx)").set_input_files(wrong)
    page.get_by_role("button", name="Check the file").click()

    # 3. The preview names the error by its cell; nothing is stored.
    errors = page.locator("[data-import-errors]")
    expect(errors).to_contain_text("The file has 1 error; nothing was stored.")
    expect(errors).to_contain_text(
        "Indicators!F10: The breakdown adds up to 110 but the total is 120 (-10)."
    )
    expect(page.get_by_role("button", name="Import these values")).to_have_count(0)
    shoot("preview-with-an-error")
    assert not SpreadsheetImport.objects.exists()
    assert IndicatorValue.objects.get().value == 100

    # 4. The corrected file, uploaded from the preview page.
    fixed = tmp_path / "MPFEF T2 2021 corrected.xlsx"
    fixed.write_bytes(fill(template, {**changes, ("1.1-a", breakdown_cell(world, 0, 1)): 20}))
    page.get_by_label("Filled template (.xlsx)").set_input_files(fixed)
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("status")).to_contain_text("The file has no error.")
    expect(page.locator("caption")).to_contain_text("1 to create, 1 to change, 3 left as they are.")
    shoot("preview-without-error")

    # 5. Committed: the entry page shows the imported values.
    page.get_by_role("button", name="Import these values").click()
    expect(page.locator(".alert-success")).to_contain_text(
        "2 value(s) imported from MPFEF T2 2021 corrected.xlsx as drafts."
    )
    expect(page.locator(f"[name='i{world.cases.pk}-value']")).to_have_value("120")
    expect(page.locator(f"[name='i{world.budget.pk}-value']")).to_have_value("750000")
    shoot("entry-after-import")
    cases = IndicatorValue.objects.get(indicator=world.cases)
    assert (cases.value, cases.status, cases.entered_by) == (Decimal(120), "draft", member)
    assert SpreadsheetImport.objects.get().status == "committed"
