"""Two pages in a real browser: a committee member reports an ordinal-scale level on the entry
page and finds it kept; reporting staff switch the indicator table to 2021 with the year
selector and download that year's CSV, not the current year's."""

import csv
import io
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tracker.models import Indicator, IndicatorValue

from ..factories import (
    AnnualTargetFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    ResultFactory,
    participation_scale,
    period_of,
)
from .conftest import needs_chromium
from .test_journey import PLAN, sign_in

pytestmark = [
    needs_chromium,
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

VALUE_COLUMN = 12  # "Value <year>" in the indicator table's export


@pytest.fixture
def participation(plan, institution):
    result = ResultFactory(axis__plan=plan, axis__number=1, axis__name="Participation", code="1.0")
    indicator = participation_scale(result)
    indicator.responsible_institutions.add(institution)
    return indicator


def test_member_picks_a_scale_level_and_finds_it_kept(
    page, shoot, live_server, participation, member
):
    entry = f"{PLAN}periods/2023-Q3/"
    sign_in(page, live_server, member, entry)
    level = page.locator(f"select[name='i{participation.pk}-value']")
    expect(level.locator("option")).to_have_text(
        ["—", "0 – None", "1 – Consulted", "2 – Takes part in decisions"]
    )
    level.select_option(label="2 – Takes part in decisions")
    page.locator(f"[name='i{participation.pk}-source']").fill("CNS minutes, Q3 2023")
    shoot("scale-chosen")
    page.locator("button[name=action][value=save]").click()
    expect(page.locator(".alert-success")).to_contain_text("1 value(s) saved as draft.")
    shoot("scale-saved")

    # Kept: the stored level, and the list shows it once the page is opened again.
    value = IndicatorValue.objects.get(
        indicator=participation, period__year=2023, period__quarter=3
    )
    assert value.value == Decimal(2)
    assert value.status == IndicatorValue.Status.DRAFT
    page.goto(live_server.url + entry)
    level = page.locator(f"select[name='i{participation.pk}-value']")
    expect(level).to_have_value("2")
    expect(level.locator("option:checked")).to_have_text("2 – Takes part in decisions")


@pytest.fixture
def two_years(plan):
    """One indicator per axis, with validated figures in 2021 and other ones in 2023."""
    made = []
    for number in (1, 2):
        result = ResultFactory(axis__plan=plan, axis__number=number, code=f"{number}.1")
        indicator = IndicatorFactory(
            result=result, code=f"{number}.1-a", name=f"Cases of axis {number}"
        )
        AnnualTargetFactory(indicator=indicator, year=2021, value=Decimal(100))
        for quarter in (1, 2):
            IndicatorValueFactory(
                indicator=indicator,
                period=period_of(plan, 2021, quarter),
                value=Decimal(10 * number + quarter),
            )
        IndicatorValueFactory(
            indicator=indicator, period=period_of(plan, 2023, 1), value=Decimal(900 + number)
        )
        made.append(indicator)
    return made


def test_staff_download_the_csv_of_the_year_they_picked(
    page, shoot, live_server, two_years, reporting_staff
):
    table = f"{PLAN}indicators/"
    sign_in(page, live_server, reporting_staff, table)
    expect(page.get_by_role("heading", level=1)).to_have_text("Indicators in 2023")

    page.get_by_label("Year").select_option("2021")
    expect(page).to_have_url(re.compile(r"[?&]year=2021\b"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Indicators in 2021")
    shoot("table-2021")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV", exact=True).click()
    download = download_info.value
    assert download.suggested_filename == "indicators-mali-2019-2023-2021.csv"
    text = download.path().read_text(encoding="utf-8").lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][VALUE_COLUMN] == "Value 2021"
    assert [(row[0], row[VALUE_COLUMN]) for row in rows[1:]] == [("1.1-a", "23"), ("2.1-a", "43")]


def test_the_chart_draws_a_whole_year_across_its_year_and_leaves_gaps(
    page, shoot, live_server, plan, reporting_staff
):
    cases = IndicatorFactory(
        result__axis__plan=plan,
        code="2.0-a",
        reporting_frequency=Indicator.Frequency.ANNUAL,
    )
    IndicatorValueFactory(indicator=cases, period=period_of(plan, 2020, 1), value=715)
    IndicatorValueFactory(indicator=cases, period=period_of(plan, 2020, None), value=6605)
    IndicatorValueFactory(indicator=cases, period=period_of(plan, 2021, 1), value=1879)
    sign_in(page, live_server, reporting_staff, f"{PLAN}indicators/2.0-a/?year=2020")
    page.wait_for_function("Chart.getChart(document.getElementById('values-chart'))")
    datasets = page.evaluate(
        """() => Chart.getChart(document.getElementById('values-chart')).data.datasets.map(
            d => ({label: d.label, spanGaps: !!d.spanGaps, data: d.data}))"""
    )
    shoot("chart-whole-year")
    by_label = {dataset["label"]: dataset for dataset in datasets}
    quarters, whole_years = by_label["Validated value"], by_label["Whole-year value"]
    assert not quarters["spanGaps"]
    # 2019 Q1 … : Q1 2020 is the 5th point, Q1 2021 the 9th, nothing in between.
    assert quarters["data"][4:9] == [715, None, None, None, 1879]
    assert whole_years["data"][4:8] == [6605] * 4
    assert whole_years["data"][8] is None
