"""Hostile and broken files (issue 15): each is refused with a message that says what to do, in
bounded time and memory, and nothing is stored. The raw bytes are checked before openpyxl
opens them (tracker/spreadsheets/safety.py); how fast a zip bomb and a million-row file are
refused is measured by `python -m bench.spreadsheets`, not timed here."""

import io
import re
import zipfile

import pytest
from django.test import override_settings
from openpyxl import Workbook, load_workbook

from tracker.spreadsheets import keys as template_keys
from tracker.spreadsheets.safety import ENCRYPTION_INFO, OLE_SIGNATURE

from .spreadsheet_world import KEYS_SHEET, build_world, download, fill, stored_state, upload

pytestmark = pytest.mark.django_db
SHEET_PART = "xl/worksheets/sheet2.xml"  # the indicators, after the instructions


@pytest.fixture
def world(institution):
    return build_world(institution)


@pytest.fixture
def client(client_for, member):
    return client_for(member)


@pytest.fixture
def template(client, world):
    return download(client, world)


def refused(client, world, data, name="quarter.xlsx"):
    """The page's text after uploading `data`, checking that it was refused and stored
    nothing."""
    before = stored_state()
    response = upload(client, world, data, name)
    assert response.status_code == 400
    assert stored_state() == before
    return re.sub(r"\s+", " ", response.content.decode())


def with_parts(data, replace=None, add=None):
    """The zip `data` with parts replaced ({name: bytes}) or added, as an attacker edits one."""
    replace, add = replace or {}, add or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = replace.get(info.filename, source.read(info.filename))
            target.writestr(info.filename, content, zipfile.ZIP_DEFLATED)
        for name, content in add.items():
            target.writestr(name, content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def sheet_xml(rows_xml, dimension="A1"):
    return (
        (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f'<dimension ref="{dimension}"/><sheetData>'
        ).encode()
        + rows_xml
        + b"</sheetData></worksheet>"
    )


def test_a_file_that_is_not_a_workbook_is_refused(client, world):
    page = refused(client, world, b"%PDF-1.4 the minutes of the meeting", "minutes.xlsx")
    assert "This file is not an Excel workbook (.xlsx)." in page


def test_an_empty_file_is_refused(client, world):
    page = refused(client, world, b"")
    assert "The submitted file is empty." in page or "The file is empty." in page


def test_an_other_zip_is_not_a_workbook(client, world):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("report.docx", b"not a workbook")
    assert "This file is not an Excel workbook (.xlsx)." in refused(client, world, out.getvalue())


def test_a_macro_enabled_workbook_is_refused(client, world, template):
    data = with_parts(template, add={"xl/vbaProject.bin": b"\x00Attribute VB_Name"})
    page = refused(client, world, data, "quarter.xlsm")
    assert "This workbook contains macros (.xlsm); the tracker does not accept them." in page


def test_a_workbook_declaring_macros_in_its_content_types_is_refused(client, world, template):
    with zipfile.ZipFile(io.BytesIO(template)) as archive:
        types = archive.read("[Content_Types].xml")
    types = types.replace(
        b"spreadsheetml.sheet.main+xml", b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"
    )
    data = with_parts(template, replace={"[Content_Types].xml": types})
    assert "contains macros" in refused(client, world, data)


def test_an_encrypted_workbook_is_refused(client, world):
    # What Excel writes for a workbook with a password: an OLE compound file holding the
    # EncryptionInfo and EncryptedPackage streams.
    data = OLE_SIGNATURE + bytes(504) + ENCRYPTION_INFO + bytes(1024)
    page = refused(client, world, data)
    assert "This workbook is protected by a password, so the tracker cannot read it." in page


def test_an_old_xls_workbook_is_refused(client, world):
    page = refused(client, world, OLE_SIGNATURE + bytes(2048), "quarter.xls")
    assert "This file is in the old Excel 97-2003 format (.xls)." in page


def test_a_zip_bomb_is_refused_before_it_is_unpacked(client, world, template):
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        with zipfile.ZipFile(io.BytesIO(template)) as source:
            for info in source.infolist():
                archive.writestr(info.filename, source.read(info.filename))
        with archive.open("xl/media/padding.bin", "w", force_zip64=True) as part:
            for _ in range(64):
                part.write(bytes(1024 * 1024))
    assert len(bomb.getvalue()) < 200_000
    page = refused(client, world, bomb.getvalue())
    assert "This workbook unpacks to far more data than a quarterly template holds" in page


def test_a_million_rows_are_refused_by_the_declared_dimension(client, world, template):
    rows = b"".join(b'<row r="%d"/>' % number for number in range(1, 1_000_001))
    data = with_parts(template, replace={SHEET_PART: sheet_xml(rows, "A1:A1000000")})
    assert "This workbook has more than 10,000 rows or 200 columns in a sheet" in refused(
        client, world, data
    )


def test_rows_past_the_limit_are_refused_while_streaming_when_the_dimension_lies(
    client, world, template
):
    rows = b"".join(
        b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (n, n) for n in range(1, 200_000)
    )
    data = with_parts(template, replace={SHEET_PART: sheet_xml(rows, "A1:A2")})
    assert "more than 10,000 rows" in refused(client, world, data)


def test_a_cell_far_to_the_right_is_refused(client, world, template):
    data = with_parts(
        template, replace={SHEET_PART: sheet_xml(b'<row r="1"><c r="XFD1"><v>1</v></c></row>')}
    )
    assert "200 columns" in refused(client, world, data)


def test_a_huge_string_is_refused(client, world, template):
    # Spreadsheets cut a cell at 32,767 characters (openpyxl too): only a forged file holds more.
    huge = b'<row r="1"><c r="A1" t="inlineStr"><is><t>' + b"x" * 100_000 + b"</t></is></c></row>"
    data = with_parts(template, replace={SHEET_PART: sheet_xml(huge)})
    page = refused(client, world, data)
    assert "This workbook holds a text of 100,000 characters, more than a spreadsheet cell" in page


def test_an_entity_declaration_is_refused(client, world, template):
    evil = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b"<sheetData/></worksheet>"
    )
    data = with_parts(template, replace={SHEET_PART: evil})
    assert "This file is not an Excel workbook (.xlsx)." in refused(client, world, data)


def test_a_damaged_workbook_is_refused(client, world, template):
    data = bytearray(template)
    cut = data.find(b"PK\x01\x02")  # the central directory survives, the parts do not
    data[100 : cut - 100] = bytes(cut - 200)
    page = refused(client, world, bytes(data))
    assert "This workbook is damaged and cannot be read." in page


@override_settings(SPREADSHEET_MAX_BYTES=4096)
def test_a_file_over_the_size_limit_is_refused(client, world, template):
    page = refused(client, world, template)
    assert "the tracker accepts workbooks up to 4.0 KB." in page


def test_a_workbook_that_is_not_a_template_is_refused(client, world):
    buffer = io.BytesIO()
    Workbook().save(buffer)
    page = refused(client, world, buffer.getvalue())
    assert "This workbook is not a template of the tracker." in page


def test_a_formula_where_a_figure_is_expected_is_refused(client, world, template):
    data = fill(template, {("1.1-a", "value"): "=60+40+20", ("1.1-e", "value"): "=SUM(C8:C9)"})
    page = refused(client, world, data)
    assert (
        "<code>Indicators!C5</code>: A formula where a figure is expected: type the figure "
        "itself." in page
    )
    assert "<code>Indicators!C38</code>: A formula where a figure is expected" in page


def _edit_keys(data, edit, sign=False):
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook[KEYS_SHEET]
    rows = [[cell.value for cell in row[:5]] for row in sheet.iter_rows()]
    for number, row in enumerate(rows, start=1):
        edited = edit(list(row))
        for column, value in enumerate(edited, start=1):
            sheet.cell(number, column).value = value
    if sign:
        kept = [
            [str(value) for value in row if value is not None]
            for row in sheet.iter_rows(values_only=True)
        ][:-1]
        sheet.cell(len(rows), 2).value = template_keys.signature(kept)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_template_of_an_older_version_is_refused(client, world, template):
    data = _edit_keys(template, lambda row: ["version", "0"] if row[0] == "version" else row, True)
    page = refused(client, world, data)
    assert "This template was made by another version of the tracker (template version 0" in page


@pytest.mark.parametrize(
    "edit",
    [
        lambda row: [*row[:3], "7", row[4]] if row[0] == "indicator" else row,  # newer version
        lambda row: ["institution", "999"] if row[0] == "institution" else row,
        lambda row: (
            [*row[:4], row[4].replace("value=C5", "value=C99")] if row[0] == "indicator" else row
        ),
    ],
    ids=["value-version", "institution", "cell"],
)
def test_edited_keys_are_refused(client, world, template, edit):
    page = refused(client, world, _edit_keys(template, edit))
    assert "The hidden keys of this template were changed" in page


def test_an_edited_indicator_code_is_refused(client, world, template):
    workbook = load_workbook(io.BytesIO(template))
    workbook.worksheets[1]["A3"].value = "9.9-z"
    buffer = io.BytesIO()
    workbook.save(buffer)
    page = refused(client, world, buffer.getvalue())
    assert "<code>Indicators!A3</code>: The indicator code was changed (it was 1.1-a)." in page


def test_a_renamed_sheet_is_refused(client, world, template):
    workbook = load_workbook(io.BytesIO(template))
    workbook.worksheets[1].title = "My figures"
    buffer = io.BytesIO()
    workbook.save(buffer)
    page = refused(client, world, buffer.getvalue())
    assert "The sheet “Indicators” is missing from this workbook" in page
