"""Annual figures are whole-year values (DESIGN.md §2, §3): a year's figure is its validated
whole-year value where one exists, else the aggregation of its validated quarters; quarters
under a whole-year value are in-year observations, never added to it. Entry, completeness,
charts, the report and the exports follow it."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tracker import progress
from tracker.figures import year_figures
from tracker.models import Indicator, IndicatorValue

from .factories import IndicatorFactory, IndicatorValueFactory, period_of

pytestmark = pytest.mark.django_db
Quarter = progress.Quarter


# The arithmetic


def test_a_whole_year_value_is_the_years_figure_and_quarters_are_not_added():
    quarters = [Quarter(1, Decimal(715))]
    whole_year = Quarter(None, Decimal(6605))
    assert progress.year_value(progress.SUM, quarters, whole_year) == 6605
    assert progress.year_value(progress.SUM, quarters) == 715
    assert progress.year_value(progress.SUM, [], None) is None


def test_the_whole_year_keeps_its_own_qualifier():
    quarters = [Quarter(1, Decimal(715), qualifier=progress.Qualifier.ABOUT)]
    whole_year = Quarter(None, Decimal(15000), qualifier=progress.Qualifier.AT_LEAST)
    assert progress.year_qualifier(progress.SUM, quarters, whole_year) == "at_least"
    assert progress.year_qualifier(progress.SUM, quarters) == "about"


def test_a_quarter_is_numbered_one_to_four_or_is_the_whole_year():
    assert Quarter(None, Decimal(1)).quarter is None
    with pytest.raises(ValueError):
        Quarter(5, Decimal(1))


# The figures of a year


@pytest.fixture
def gbv(plan, institution):
    indicator = IndicatorFactory(
        result__axis__plan=plan,
        code="2.0-a",
        reporting_frequency=Indicator.Frequency.ANNUAL,
        direction=Indicator.Direction.DECREASE,
    )
    indicator.responsible_institutions.add(institution)
    IndicatorValueFactory(indicator=indicator, period=period_of(plan, 2019, None), value=3330)
    IndicatorValueFactory(indicator=indicator, period=period_of(plan, 2020, 1), value=715)
    IndicatorValueFactory(indicator=indicator, period=period_of(plan, 2020, None), value=6605)
    IndicatorValueFactory(indicator=indicator, period=period_of(plan, 2021, 1), value=1879)
    return indicator


def test_year_figures_read_the_whole_year_and_keep_the_quarter_apart(gbv):
    figure_2020 = year_figures(gbv.plan, Indicator.objects.filter(pk=gbv.pk), 2020)[0]
    assert figure_2020.annual_value == 6605
    assert figure_2020.from_whole_year and figure_2020.basis == progress.Basis.WHOLE_YEAR
    assert figure_2020.quarter_list[0].value == 715
    assert figure_2020.previous_value == 3330
    figure_2021 = year_figures(gbv.plan, Indicator.objects.filter(pk=gbv.pk), 2021)[0]
    # No whole-year value yet: the quarters are all there is, and say so.
    assert figure_2021.annual_value == 1879
    assert figure_2021.basis == progress.Basis.SUM
    assert figure_2021.previous_value == 6605


def test_the_figures_query_count_does_not_grow_with_whole_years(gbv, django_assert_num_queries):
    indicators = Indicator.objects.filter(plan=gbv.plan)
    # Periods, figures, breakdowns: the same three with more indicators (no scale among them,
    # so no scale levels).
    with django_assert_num_queries(3):
        year_figures(gbv.plan, indicators, 2020)
    for code in ("2.0-b", "2.0-c"):
        other = IndicatorFactory(result__axis__plan=gbv.plan, code=code)
        IndicatorValueFactory(indicator=other, period=period_of(gbv.plan, 2020, None), value=3)
        IndicatorValueFactory(indicator=other, period=period_of(gbv.plan, 2020, 2), value=1)
    with django_assert_num_queries(3):
        assert len(year_figures(gbv.plan, indicators, 2020)) == 3


def test_the_latest_value_of_a_year_is_its_whole_year_value(gbv):
    latest = IndicatorValue.objects.latest_validated_by_indicator(Indicator.objects.all())
    assert latest[gbv.pk].value == 1879  # 2021 Q1 comes after the whole of 2020
    IndicatorValueFactory(indicator=gbv, period=period_of(gbv.plan, 2021, None), value=9540)
    IndicatorValueFactory(indicator=gbv, period=period_of(gbv.plan, 2021, 4), value=2000)
    latest = IndicatorValue.objects.latest_validated_by_indicator(Indicator.objects.all())
    assert latest[gbv.pk].value == 9540


# Entry


def test_the_year_page_lists_annual_indicators_and_the_quarter_page_quarterly_ones(
    client_for, member, gbv, institution
):
    quarterly = IndicatorFactory(result__axis__plan=gbv.plan, code="1.1-a")
    quarterly.responsible_institutions.add(institution)
    year_page = client_for(member).get(reverse("year-entry", args=[gbv.plan.slug, 2022]))
    codes = [form.indicator.code for form in year_page.context["value_forms"]]
    assert codes == ["2.0-a"]
    assert "Annual figures Year 2022" in year_page.content.decode()
    assert year_page.context["activity_forms"] == []
    quarter_page = client_for(member).get(reverse("period-entry", args=[gbv.plan.slug, 2022, 1]))
    assert [form.indicator.code for form in quarter_page.context["value_forms"]] == ["1.1-a"]
    # A quarter that holds an in-year observation still shows it, so it can be corrected.
    observed = client_for(member).get(reverse("period-entry", args=[gbv.plan.slug, 2020, 1]))
    assert {form.indicator.code for form in observed.context["value_forms"]} == {
        "1.1-a",
        "2.0-a",
    }


def test_a_member_enters_a_whole_year_value(client_for, member, gbv):
    plan = gbv.plan
    response = client_for(member).post(
        reverse("year-entry", args=[plan.slug, 2022]),
        {"action": "save", f"i{gbv.pk}-version": "0", f"i{gbv.pk}-value": "14264"},
    )
    assert response.status_code == 302
    stored = IndicatorValue.objects.get(indicator=gbv, period=period_of(plan, 2022, None))
    assert (stored.value, stored.status) == (14264, IndicatorValue.Status.DRAFT)


def test_a_closed_year_refuses_entry_and_changes_nothing(client_for, secretariat, gbv):
    plan = gbv.plan
    year = period_of(plan, 2022, None)
    client = client_for(secretariat)
    assert client.post(reverse("year-close", args=[plan.slug, 2022])).status_code == 302
    year.refresh_from_db()
    assert not year.is_open
    before = list(IndicatorValue.objects.values())
    response = client.post(
        reverse("year-entry", args=[plan.slug, 2022])
        + f"?institution={gbv.responsible_institutions.get().pk}",
        {"action": "save", f"i{gbv.pk}-version": "0", f"i{gbv.pk}-value": "14264"},
    )
    assert response.status_code == 409
    assert list(IndicatorValue.objects.values()) == before


# The Mali data, on every page and export


def test_gbv_2020_reads_6605_for_the_year_and_715_in_q1_everywhere(
    client_for, reporting_staff, mali_plan
):
    client = client_for(reporting_staff)
    plan = f"/plans/{mali_plan.slug}"
    page = client.get(f"{plan}/indicators/2.0-a/?year=2020")
    chart = page.context["chart"]
    labels = chart["labels"]
    assert chart["values"][labels.index("Q1 2020")] == 715
    assert chart["values"][labels.index("Q4 2020")] is None  # a gap, not a remainder
    # The whole year is drawn across its four quarters.
    assert chart["whole_years"][labels.index("Q1 2020") : labels.index("Q4 2020") + 1] == [6605] * 4
    html = page.content.decode()
    assert "6,605" in html and "Year 2020" in html

    report = client.get(f"{plan}/reports/2020/?draft=1").content.decode()
    assert "the quarters beside it are in-year observations" in report
    assert "7,320" not in report  # 6 605 + 715 would count Q1 twice

    workbook = load_workbook(
        io.BytesIO(b"".join(client.get(f"{plan}/reports/2020.xlsx").streaming_content))
    )
    rows = [[cell.value for cell in row] for row in workbook[workbook.sheetnames[1]].iter_rows()]
    header = rows[0]
    row = next(row for row in rows if "2.0-a" in row)
    assert row[header.index("Q1")] == 715 and row[header.index("Q4")] is None
    assert row[header.index("Annual value")] == 6605
    assert row[header.index("Basis of the annual value")] == "Whole-year value"

    exported = client.get(f"{plan}/indicators/?year=2020&export=csv")
    text = b"".join(exported.streaming_content).decode().lstrip("\ufeff")
    table = list(csv.reader(io.StringIO(text)))
    header = table[0]
    row = next(row for row in table if row[0] == "2.0-a")
    assert row[header.index("Value 2020")] == "6605"
    assert row[header.index("Basis of the annual value")] == "Whole-year value"
