"""The indicator table's CSV and XLSX links carry the page's query string: the year shown and
every filter, so that the file holds the rows on the screen (the links were once `??year=…`, which
lost the year and gave the current year's file)."""

import csv
import html
import io
import re
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from openpyxl import load_workbook

from .factories import (
    AnnualTargetFactory,
    AxisFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    ResultFactory,
    period_of,
)

pytestmark = pytest.mark.django_db

VALUE_COLUMN = 12  # "Value <year>" in indicator_table_headers


@pytest.fixture
def table(plan):
    """Two axes; in 2021 one indicator of each axis meets its target and one has no data, and
    every indicator has other figures in 2023 (the plan's last year, shown by default)."""
    axes = [AxisFactory(plan=plan, number=number) for number in (1, 2)]
    made = {}
    for axis in axes:
        result = ResultFactory(axis=axis, code=f"{axis.number}.1")
        met = IndicatorFactory(result=result, code=f"{axis.number}.1-a", name=f"Met {axis.number}")
        empty = IndicatorFactory(
            result=result, code=f"{axis.number}.1-b", name=f"Empty {axis.number}"
        )
        AnnualTargetFactory(indicator=met, year=2021, value=Decimal(100))
        for quarter in (1, 2, 3, 4):
            IndicatorValueFactory(
                indicator=met, period=period_of(plan, 2021, quarter), value=Decimal(30)
            )
        for indicator in (met, empty):
            IndicatorValueFactory(
                indicator=indicator, period=period_of(plan, 2023, 1), value=Decimal(7)
            )
        made[axis.number] = {"axis": axis, "met": met, "empty": empty}
    return {"plan": plan, **made}


def page_url(plan, query=""):
    return f"/plans/{plan.slug}/indicators/{query}"


def export_links(response):
    """{kind: href} of the page's download links, as the browser reads them."""
    page = response.content.decode()
    return {
        kind: html.unescape(href)
        for href, kind in re.findall(r'<a href="([^"]*)" data-export="(csv|xlsx)">', page)
    }


def query_of(href):
    assert href.startswith("?") and not href.startswith("??"), href
    return parse_qs(urlsplit(href).query, keep_blank_values=True)


def csv_rows(response):
    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    return list(csv.reader(io.StringIO(text)))


def test_export_links_keep_the_year_and_every_filter(client_for, reporting_staff, table):
    axis = table[1]["axis"]
    response = client_for(reporting_staff).get(
        page_url(table["plan"], f"?year=2021&axis={axis.pk}&status=achieved&q=Met&page=1")
    )
    assert response.status_code == 200
    links = export_links(response)
    assert set(links) == {"csv", "xlsx"}
    for kind, href in links.items():
        assert query_of(href) == {
            "year": ["2021"],
            "axis": [str(axis.pk)],
            "status": ["achieved"],
            "q": ["Met"],
            "export": [kind],
        }
    assert links["csv"] == response.context["export_csv_url"]
    assert links["xlsx"] == response.context["export_xlsx_url"]


def test_following_the_csv_link_gives_that_years_filtered_rows(client_for, reporting_staff, table):
    client = client_for(reporting_staff)
    axis = table[1]["axis"]
    response = client.get(page_url(table["plan"], f"?year=2021&axis={axis.pk}&status=achieved"))
    download = client.get(page_url(table["plan"], export_links(response)["csv"]))
    assert download.status_code == 200
    assert download["Content-Disposition"] == (
        'attachment; filename="indicators-mali-2019-2023-2021.csv"'
    )
    rows = csv_rows(download)
    assert rows[0][VALUE_COLUMN] == "Value 2021"
    assert [(row[0], row[VALUE_COLUMN]) for row in rows[1:]] == [("1.1-a", "120")]


def test_following_the_xlsx_link_gives_the_same_rows(client_for, reporting_staff, table):
    client = client_for(reporting_staff)
    axis = table[2]["axis"]
    response = client.get(page_url(table["plan"], f"?axis={axis.pk}&year=2021&status=no_data"))
    download = client.get(page_url(table["plan"], export_links(response)["xlsx"]))
    assert download.status_code == 200
    sheet = load_workbook(io.BytesIO(download.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][VALUE_COLUMN] == "Value 2021"
    assert [(row[0], row[VALUE_COLUMN]) for row in rows[1:]] == [("2.1-b", None)]


def test_without_a_year_the_links_name_the_year_shown(client_for, reporting_staff, table):
    client = client_for(reporting_staff)
    response = client.get(page_url(table["plan"], "?unit_kind=count"))
    shown = response.context["year"]
    links = export_links(response)
    assert query_of(links["csv"]) == {
        "unit_kind": ["count"],
        "year": [str(shown)],
        "export": ["csv"],
    }
    rows = csv_rows(client.get(page_url(table["plan"], links["csv"])))
    assert rows[0][VALUE_COLUMN] == f"Value {shown}"
    assert len(rows) == 5


def test_a_repeated_or_stale_export_parameter_is_replaced(client_for, reporting_staff, table):
    response = client_for(reporting_staff).get(
        page_url(table["plan"], "?year=2021&export=pdf&export=doc")
    )
    assert query_of(export_links(response)["csv"])["export"] == ["csv"]
