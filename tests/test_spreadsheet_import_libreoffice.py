"""The template round trip through a spreadsheet other than openpyxl: LibreOffice (headless
soffice, with its own profile) re-saves the filled template as XLSX, and the tracker reads its
keys, numbers, lists and texts back. Skipped without soffice, except on CI (the CI variable
set), where it must run."""

import io
import re
import zipfile

import pytest

from tracker.models import IndicatorValue

from .spreadsheet_world import breakdown_cell, build_world, download, fill, stored_state, upload
from .test_spreadsheet_safety import lo_profile, needs_soffice, soffice  # noqa: F401

pytestmark = [pytest.mark.django_db, needs_soffice]


@pytest.fixture
def world(institution):
    return build_world(institution)


def resaved(data, tmp_path, profile):
    """The workbook as LibreOffice Calc saves it again."""
    source = tmp_path / "filled.xlsx"
    source.write_bytes(data)
    out = tmp_path / "libreoffice"
    soffice(profile, out, "--convert-to", "xlsx:Calc MS Excel 2007 XML", source)
    return (out / "filled.xlsx").read_bytes()


def squeezed(response):
    return re.sub(r"\s+", " ", response.content.decode())


def test_a_template_filled_then_saved_by_libreoffice_imports(
    client_for,
    member,
    world,
    tmp_path,
    lo_profile,  # noqa: F811
):
    client = client_for(member)
    data = fill(
        download(client, world),
        {
            ("1.1-a", "value"): 120,
            ("1.1-a", breakdown_cell(world, 0, 1)): 20,
            ("1.1-b", "numerator"): 12.5,
            ("1.1-b", "denominator"): 50,
            ("1.1-b", "qualifier"): "about",
            ("1.1-c", "value"): "No",
            ("1.1-d", "value"): "2 – Takes part in decisions",
            ("1.1-e", "value"): 2_000_000,
            ("1.1-e", "source"): "Budget law 2021",
        },
    )
    data = resaved(data, tmp_path, lo_profile)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert b"LibreOffice" in archive.read("docProps/app.xml")  # not openpyxl's file
    response = upload(client, world, data)
    assert response.status_code == 302, squeezed(response)
    assert "4 to create, 1 to change, 0 left as they are." in squeezed(
        client.get(response["Location"])
    )
    client.post(response["Location"])
    values = {
        value.indicator.code: value
        for value in IndicatorValue.objects.filter(period=world.period).select_related("indicator")
    }
    assert values["1.1-a"].value == 120
    assert values["1.1-b"].numerator == 12.5 and values["1.1-b"].qualifier == "about"
    assert (values["1.1-c"].value, values["1.1-d"].value) == (0, 2)
    assert values["1.1-e"].source == "Budget law 2021"
    entry = squeezed(client.get(world.period.get_absolute_url()))
    assert f'name="i{world.cases.pk}-value" value="120"' in entry


def test_an_untouched_template_saved_by_libreoffice_changes_nothing(
    client_for,
    member,
    world,
    tmp_path,
    lo_profile,  # noqa: F811
):
    client = client_for(member)
    data = resaved(download(client, world), tmp_path, lo_profile)
    response = upload(client, world, data)
    assert "0 to create, 0 to change, 5 left as they are." in squeezed(
        client.get(response["Location"])
    )
    before = stored_state()[:2]
    client.post(response["Location"])
    assert stored_state()[:2] == before
