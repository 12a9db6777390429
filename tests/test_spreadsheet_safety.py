"""Exports that cannot run code: text typed into the tracker (an indicator name, a narrative, a
source, a note, a return reason) never becomes a formula in the CSV and XLSX exports (OWASP's
CSV injection rule, tracker.reports.tabular.spreadsheet_text), and numbers stay numbers.

The LibreOffice tests open the files in a real spreadsheet (headless soffice): they skip
themselves without it, except on CI (the CI variable set), where they must run."""

import csv
import io
import os
import shutil
import subprocess
import zipfile
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook

from tracker.models import AnnualReport
from tracker.reports.tabular import (
    Fcfa,
    Percent,
    Sheet,
    cell_text,
    csv_cells,
    csv_response,
    spreadsheet_text,
    xlsx_bytes,
)

from .factories import (
    AnnualTargetFactory,
    DimensionValueFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    PlanFactory,
    ResultFactory,
    period_of,
)

YEAR = 2021
# One text per character a spreadsheet takes as the start of a formula.
DANGEROUS = {
    "=": '=HYPERLINK("http://evil.example","x")',
    "+": "+1+1",
    "-": "-2+3",
    "@": "@SUM(1,1)",
    "tab": "\t=1+1",
    "cr": "\r=1+1",
}
IDS = list(DANGEROUS)
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def xml_text(text):
    """A text as an XLSX file may give it back: openpyxl's own XML writer turns a bare carriage
    return into a newline, lxml's (used when lxml is installed) keeps it; compare both sides
    through this."""
    return text.replace("\r", "\n") if isinstance(text, str) else text


# The function


@pytest.mark.parametrize("text", DANGEROUS.values(), ids=IDS)
def test_formula_like_text_gets_a_leading_quote_in_csv(text):
    assert spreadsheet_text(text) == "'" + text
    assert cell_text(text) == "'" + text


def test_translatable_labels_are_text_too():
    assert spreadsheet_text(gettext_lazy("=Total")) == "'=Total"
    assert cell_text(gettext_lazy("@Total")) == "'@Total"


@pytest.mark.parametrize(
    "text",
    ["", "Women in the CSA", "Plan d'action national 1325", "a=b", "3 + 4", " =1+1", "'quoted"],
)
def test_harmless_text_is_left_as_it_is(text):
    assert spreadsheet_text(text) == text
    assert cell_text(text) == text


@pytest.mark.parametrize(
    "number",
    [3, -3, 2.5, -2.5, Decimal("-3"), Decimal("-0.5"), Percent(Decimal("-12.5"))]
    + [Fcfa(Decimal("-1000")), None],
)
def test_numbers_are_not_text_and_pass_through(number):
    assert spreadsheet_text(number) is number
    workbook = Workbook(write_only=True)
    assert spreadsheet_text(number, workbook.create_sheet("s")) is number


def test_negative_numbers_are_never_quoted_in_csv():
    assert cell_text(Decimal("-3")) == "-3"
    assert cell_text(Decimal("-3.50"), ",") == "-3,5"
    assert cell_text(-3) == "-3"
    assert cell_text(-2.5) == "-2.5"
    assert cell_text(Percent(Decimal("-12.5"))) == "-12.5"
    assert cell_text(Fcfa(Decimal("-1000"))) == "-1000"
    assert csv_cells([Decimal("-3"), "-3", None]) == ["-3", "'-3", ""]


@pytest.mark.parametrize("text", DANGEROUS.values(), ids=IDS)
def test_in_xlsx_text_is_a_string_cell_with_its_text_unchanged(text):
    worksheet = Workbook(write_only=True).create_sheet("s")
    cell = spreadsheet_text(text, worksheet)
    assert cell.data_type == "s"
    assert cell.value == text
    assert cell.quotePrefix  # editing it in Excel keeps it text
    harmless = spreadsheet_text("Women in the CSA", worksheet)
    assert harmless.data_type == "s" and not harmless.quotePrefix


def test_the_writers_keep_numbers_numbers_and_make_text_inert():
    headers = ["=1+1", "Negative", "Percent", "Amount", "Int", "Float"]
    row = [
        '=HYPERLINK("http://evil.example","x")',
        Decimal("-3"),
        Percent(Decimal("-12.5")),
        Fcfa(Decimal("-1000")),
        -4,
        -2.5,
    ]
    workbook = load_workbook(io.BytesIO(xlsx_bytes([Sheet("Data", headers, [row])])))
    header, cells = workbook["Data"].iter_rows()
    assert [(c.value, c.data_type) for c in header] == [(h, "s") for h in headers]
    assert [(c.value, c.data_type) for c in cells] == [
        (row[0], "s"),
        (-3, "n"),
        (pytest.approx(-0.125), "n"),
        (-1000, "n"),
        (-4, "n"),
        (-2.5, "n"),
    ]

    table = csv_table(csv_response("data.csv", headers, [row]))
    assert table == [
        ["'=1+1", "Negative", "Percent", "Amount", "Int", "Float"],
        ["'" + row[0], "-3", "-12.5", "-1000", "-4", "-2.5"],
    ]


# The exports


def csv_table(response, delimiter=","):
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=delimiter))


def assert_csv_inert(table, text):
    """The text is there, quoted, and no field starts a formula (numbers apart)."""
    fields = [field for row in table for field in row]
    assert "'" + text in fields
    assert text not in fields
    for field in fields:
        if field.startswith(TRIGGERS):
            Decimal(field)  # only a number may start with "-" or "+"


def assert_xlsx_inert(content, text, sheets):
    """No cell of the workbook is a formula, and the text is a string cell in each sheet."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                xml = archive.read(name).decode()
                assert "<f>" not in xml and "<f " not in xml, name
    workbook = load_workbook(io.BytesIO(content))
    found = set()
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if xml_text(cell.value) == xml_text(text):
                    assert cell.data_type == "s"
                    found.add(sheet.title)
    assert set(sheets) <= found


@pytest.fixture
def dangerous_plan(db, request):
    """A plan whose every typed text starts with the dangerous text."""
    text = request.param
    plan = PlanFactory(slug="mali-2019-2023", title=text, is_public=False)
    result = ResultFactory(axis__plan=plan, axis__number=1, axis__name=text)
    indicator = IndicatorFactory(result=result, code="1.1-a", name=text)
    AnnualTargetFactory(indicator=indicator, year=YEAR, value=Decimal(10))
    value = IndicatorValueFactory(
        indicator=indicator,
        period=period_of(plan, YEAR, 1),
        value=Decimal(3),
        source=text,
        note=text,
        narrative=text,
    )
    value.breakdown_rows.create(category=DimensionValueFactory(name=text), value=Decimal(2))
    IndicatorValueFactory(
        indicator=indicator,
        period=period_of(plan, YEAR, 2),
        status="returned",
        return_reason=text,
        source=text,
    )
    AnnualReport.objects.create(
        plan=plan,
        year=YEAR,
        summary=text,
        achievements=text,
        challenges=text,
        recommendations=text,
    )
    return plan, text


@pytest.mark.parametrize("dangerous_plan", DANGEROUS.values(), ids=IDS, indirect=True)
def test_the_indicator_table_exports_are_inert(dangerous_plan, client_for, member):
    plan, text = dangerous_plan
    client = client_for(member)
    base = f"/plans/{plan.slug}/indicators/?year={YEAR}"
    table = csv_table(client.get(base + "&export=csv"))
    assert table[1][1] == "'" + text  # the indicator's name
    assert_csv_inert(table, text)

    response = client.get(base + "&export=xlsx")
    assert_xlsx_inert(response.content, text, ["Indicators"])


@pytest.mark.parametrize("dangerous_plan", DANGEROUS.values(), ids=IDS, indirect=True)
def test_the_annual_report_exports_are_inert(dangerous_plan, client_for, reporting_staff):
    plan, text = dangerous_plan
    client = client_for(reporting_staff)
    base = f"/plans/{plan.slug}/reports/{YEAR}"
    table = csv_table(client.get(base + ".csv?draft=1"))
    assert_csv_inert(table, text)
    names = {row[2] for row in table[1:]}
    assert names == {"'" + text}
    assert "'" + text in {row[6] for row in table[1:]}  # the breakdown category

    response = client.get(base + ".xlsx?draft=1")
    assert response.status_code == 200
    workbook = b"".join(response.streaming_content)
    assert_xlsx_inert(
        workbook,
        text,
        ["Summary", "Indicators", "Breakdowns", "Narrative", "Sources"],
    )
    narrative = load_workbook(io.BytesIO(workbook))["Narrative"]
    assert [xml_text(cell.value) for cell in narrative["B"][1:]] == [xml_text(text)] * 4


@pytest.mark.parametrize("dangerous_plan", DANGEROUS.values(), ids=IDS, indirect=True)
def test_the_full_export_is_inert(dangerous_plan, tmp_path):
    _plan, text = dangerous_plan
    output = tmp_path / "values.csv"
    call_command("export_values", output=str(output), stderr=io.StringIO())
    with output.open(encoding="utf-8", newline="") as stream:
        table = list(csv.reader(stream))
    assert_csv_inert(table, text)
    lines = [dict(zip(table[0], row, strict=True)) for row in table[1:]]
    values = [line for line in lines if not line["category"]]  # breakdown cells have one
    assert [line["source"] for line in values] == ["'" + text] * 2
    assert [line["value"] for line in values] == ["3", "5"]


# In a real spreadsheet: LibreOffice

SOFFICE = shutil.which("soffice")
needs_soffice = pytest.mark.skipif(
    SOFFICE is None and not os.environ.get("CI"),
    reason="soffice not found: apt-get install libreoffice-calc-nogui to run the round trips "
    "(on CI they run)",
)
ROUND_TRIP = [*DANGEROUS.values(), "=1+1"]


@pytest.fixture(scope="module")
def lo_profile(tmp_path_factory):
    """A private LibreOffice profile, so that parallel runs do not share (and lock) one."""
    return tmp_path_factory.mktemp("lo-profile").as_uri()


def soffice(profile, outdir, *arguments):
    if SOFFICE is None:
        pytest.fail("soffice not found, and CI must run the LibreOffice round trips")
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile}", "--headless", *arguments]
        + ["--outdir", str(outdir)],
        check=True,
        capture_output=True,
        timeout=180,
    )


@needs_soffice
def test_libreoffice_reads_the_xlsx_texts_as_text(tmp_path, lo_profile):
    rows = [[text, Decimal("-3")] for text in ROUND_TRIP]
    ours = tmp_path / "ours.xlsx"
    ours.write_bytes(xlsx_bytes([Sheet("Data", ["=1+1", "Number"], rows)]))
    # The control: the same texts as openpyxl stores them by default, formulas for "=...".
    control = Workbook()
    for text in ROUND_TRIP:
        control.active.append([text])
    control.save(tmp_path / "control.xlsx")

    out = tmp_path / "out"
    utf8_csv = "csv:Text - txt - csv (StarCalc):44,34,76,1"
    soffice(lo_profile, out, "--convert-to", utf8_csv, ours, tmp_path / "control.xlsx")

    with (out / "ours.csv").open(encoding="utf-8", newline="") as stream:
        table = list(csv.reader(stream))
    assert table[0] == ["=1+1", "Number"]
    assert [[xml_text(a), b] for a, b in table[1:]] == [[xml_text(t), "-3"] for t in ROUND_TRIP]
    fields = {field for row in table for field in row}
    assert "2" not in fields and "x" not in fields  # no evaluated result

    with (out / "control.csv").open(encoding="utf-8", newline="") as stream:
        control_fields = [row[0] for row in csv.reader(stream)]
    assert "x" in control_fields and "2" in control_fields  # LibreOffice does evaluate them


@needs_soffice
def test_libreoffice_reads_the_csv_texts_as_text(tmp_path, lo_profile):
    rows = [[text, Decimal("-3")] for text in ROUND_TRIP]
    ours = tmp_path / "ours.csv"
    ours.write_bytes(b"".join(csv_response("ours.csv", ["=1+1", "Number"], rows)))
    control = tmp_path / "control.csv"
    with control.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows([text] for text in ROUND_TRIP)

    out = tmp_path / "out"
    soffice(
        lo_profile,
        out,
        "--infilter=CSV:44,34,76,1",
        "--convert-to",
        "xlsx",
        ours,
        control,
    )

    cells = [list(row) for row in load_workbook(out / "ours.xlsx").active.iter_rows()]
    assert all(cell.data_type != "f" for row in cells for cell in row)
    assert [cell.value for cell in cells[0]] == ["'=1+1", "Number"]
    for (text_cell, number_cell), text in zip(cells[1:], ROUND_TRIP, strict=True):
        assert (xml_text(text_cell.value), text_cell.data_type) == ("'" + xml_text(text), "s")
        assert (number_cell.value, number_cell.data_type) == (-3, "n")

    control_cells = [row[0] for row in load_workbook(out / "control.xlsx").active.iter_rows()]
    assert any(cell.data_type == "f" for cell in control_cells)  # LibreOffice does evaluate
