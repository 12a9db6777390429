"""The quarterly template (issue 15): one block per indicator the institution reports, pre-filled
with the period's values and statuses, the cells to fill unlocked and checked by the spreadsheet
(data validation), everything else locked, the breakdown's totals as formulas, instructions
first, signed keys in a hidden sheet; every text inert; in the reader's language."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tracker.models import IndicatorValue
from tracker.spreadsheets import keys as template_keys

from .spreadsheet_world import KEYS_SHEET, build_world, cell_map, download, template_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(institution):
    return build_world(institution)


@pytest.fixture
def workbook(client_for, member, world):
    return load_workbook(io.BytesIO(download(client_for(member), world)))


def test_the_template_is_an_xlsx_named_for_the_period_and_institution(client_for, member, world):
    response = client_for(member).get(template_url(world))
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == 'attachment; filename="nap-2021-Q2-mpfef.xlsx"'


def test_instructions_first_then_the_indicators_then_hidden_lists_and_keys(workbook):
    assert workbook.sheetnames == ["Instructions", "Indicators", "_lists", "_keys"]
    assert [sheet.sheet_state for sheet in workbook.worksheets] == [
        "visible",
        "visible",
        "hidden",
        "hidden",
    ]
    first = workbook["Instructions"]["A1"].value
    assert first == "Q2 2021 — MPFEF — Mali NAP 1325"
    assert all(sheet.protection.sheet for sheet in workbook.worksheets)


def test_one_block_per_indicator_prefilled_with_values_and_statuses(workbook, world):
    sheet = workbook["Indicators"]
    cells = cell_map(workbook)
    assert list(cells) == ["1.1-a", "1.1-b", "1.1-c", "1.1-d", "1.1-e"]
    a = cells["1.1-a"]
    assert sheet[a["code"]].value == "1.1-a"
    assert sheet[a["value"]].value == 100 and sheet[a["value"]].data_type == "n"
    assert sheet[a["qualifier"]].value == "exact"
    assert sheet[a[f"cell_{world.sexes[0].pk}_{world.regions[0].pk}"]].value == 60
    assert sheet[a[f"cell_{world.sexes[1].pk}_{world.regions[0].pk}"]].value == 40
    assert sheet[a[f"cell_{world.sexes[0].pk}_{world.regions[1].pk}"]].value is None
    row = int(a["code"][1:]) + 1
    assert sheet[f"B{row}"].value == "Count · Status: Draft"
    assert sheet[f"B{int(cells['1.1-b']['code'][1:]) + 1}"].value == "Percentage · No value yet"


def test_the_breakdown_is_laid_out_as_on_screen_with_totals_as_formulas(workbook, world):
    sheet = workbook["Indicators"]
    a = cell_map(workbook)["1.1-a"]
    first = a[f"cell_{world.sexes[0].pk}_{world.regions[0].pk}"]  # women × region 1
    assert first == "C8"
    assert [sheet.cell(7, column).value for column in range(3, 7)] == [
        "Region 1",
        "Region 2",
        "Region 3",
        "Total",
    ]
    assert [sheet.cell(row, 2).value for row in (8, 9, 10)] == ["Women", "Men", "Total"]
    assert sheet["F8"].value == "=SUM(C8:E8)"
    assert sheet["C10"].value == "=SUM(C8:C9)"
    assert a["breakdown_total"] == "F10" and sheet["F10"].value == "=SUM(F8:F9)"
    assert sheet["C11"].value == '=IF(COUNT(C8:E9)=0,"",F10-C5)'


def test_only_the_cells_to_fill_are_unlocked(workbook):
    sheet = workbook["Indicators"]
    cells = cell_map(workbook)
    inputs = {
        reference
        for fields in cells.values()
        for name, reference in fields.items()
        if name not in ("code", "breakdown_total")
    }
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.protection.locked == (cell.coordinate not in inputs), cell.coordinate


def test_the_cells_are_checked_by_the_spreadsheet(workbook):
    cells = cell_map(workbook)
    rules = {}
    for validation in workbook["Indicators"].data_validations.dataValidation:
        for reference in str(validation.sqref).split():
            rules[reference] = validation
    count = rules[cells["1.1-a"]["value"]]
    assert (count.type, count.operator, count.formula1) == ("whole", "between", "0")
    assert count.showErrorMessage and count.error
    assert rules[cells["1.1-b"]["denominator"]].type == "decimal"
    assert rules[cells["1.1-b"]["denominator"]].formula1 == "0.0001"
    assert rules[cells["1.1-a"]["qualifier"]].formula1 == "'_lists'!$A$1:$D$1"
    assert rules[cells["1.1-c"]["value"]].formula1 == "'_lists'!$A$2:$B$2"
    assert rules[cells["1.1-d"]["value"]].formula1 == "'_lists'!$A$3:$C$3"
    assert rules[cells["1.1-a"]["narrative"]].type == "textLength"
    lists = [
        [cell for cell in row if cell] for row in workbook["_lists"].iter_rows(values_only=True)
    ]
    assert lists == [
        ["exact", "at least", "at most", "about"],
        ["Yes", "No"],
        ["0 – None", "1 – Consulted", "2 – Takes part in decisions"],
    ]


def test_the_hidden_keys_name_the_plan_period_institution_and_versions(workbook, institution):
    rows = list(workbook[KEYS_SHEET].iter_rows(values_only=True))
    keys = template_keys.read_keys(rows)
    assert (keys.plan, keys.period, keys.institution_id) == ("nap", "2021-Q2", institution.pk)
    assert keys.version == template_keys.TEMPLATE_VERSION and keys.language == "en"
    assert [(value.code, value.version) for value in keys.values][:2] == [
        ("1.1-a", 1),
        ("1.1-b", 0),
    ]
    assert all(isinstance(cell, str) for row in rows for cell in row if cell is not None)


def test_every_text_is_inert(workbook):
    sheet = workbook["Indicators"]
    cells = cell_map(workbook)
    name = sheet[f"B{cells['1.1-c']['code'][1:]}"]
    assert name.value == '=HYPERLINK("http://evil.example","law adopted")'
    assert name.data_type == "s" and name.quotePrefix
    narrative = sheet[cells["1.1-a"]["narrative"]]
    assert narrative.value == "@SUM(1,1) from the registers" and narrative.data_type == "s"


def test_values_a_member_may_no_longer_change_stay_locked(client_for, member, world):
    IndicatorValue.objects.filter(pk=world.draft.pk).update(status="submitted")
    workbook = load_workbook(io.BytesIO(download(client_for(member), world)))
    value = workbook["Indicators"][cell_map(workbook)["1.1-a"]["value"]]
    assert value.protection.locked
    assert "locked: correct it on the entry page" in workbook["Indicators"]["B4"].value


def test_the_template_is_in_the_readers_language(client_for, member, world):
    client = client_for(member)
    client.cookies["django_language"] = "fr"
    workbook = load_workbook(io.BytesIO(download(client, world)))
    keys = template_keys.read_keys(workbook[KEYS_SHEET].iter_rows(values_only=True))
    assert keys.language == "fr"
    assert workbook["Instructions"]["A1"].value.startswith("T2 2021")


def test_members_get_their_institution_and_the_secretariat_chooses(
    client_for, member, secretariat, other_institution, world
):
    workbook = load_workbook(io.BytesIO(download(client_for(member), world, other_institution)))
    keys = template_keys.read_keys(workbook[KEYS_SHEET].iter_rows(values_only=True))
    assert keys.institution_id == member.institution_id
    response = client_for(secretariat).get(template_url(world))
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "period-entry", kwargs={"slug": "nap", "year": 2021, "quarter": 2}
    )


def test_the_entry_page_links_to_the_template_and_the_upload(client_for, member, world):
    page = client_for(member).get(world.period.get_absolute_url()).content.decode()
    assert f'href="{template_url(world)}?institution=' in page
    assert 'href="/plans/nap/periods/2021-Q2/import/"' in page
    assert "Download the Excel template" in page and "Upload a filled template" in page
