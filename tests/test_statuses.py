"""Statuses a committee can sign (DESIGN.md §3): on the shipped Mali data, an indicator with
validated figures and no target reads "no target", never "no data", and the dashboard, the
indicator table and the annual report in its four forms count the same statuses as the rows
they list."""

import csv
import io
import re
from collections import Counter

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tracker import progress
from tracker.figures import year_figures
from tracker.models import Indicator

pytestmark = pytest.mark.django_db
YEAR = 2020
Status = progress.Status


@pytest.fixture
def figures(mali_plan):
    return year_figures(mali_plan, Indicator.objects.filter(plan=mali_plan).order_by("code"), YEAR)


def csv_table(response):
    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    return list(csv.reader(io.StringIO(text)))


def test_figures_without_a_target_read_no_target(figures):
    with_figures = [figure for figure in figures if figure.annual_value is not None]
    assert with_figures, "the Mali data has validated figures for 2020"
    for figure in figures:
        if figure.annual_value is None:
            assert figure.status == Status.NO_DATA, figure.indicator.code
        elif figure.annual_target is None:
            assert figure.status == Status.NO_TARGET, figure.indicator.code
    assert not any(
        figure.status == Status.NO_DATA for figure in figures if figure.annual_value is not None
    )


def test_a_figure_without_a_target_says_how_it_moved(figures):
    gbv = next(figure for figure in figures if figure.annual_value == 6605)
    assert gbv.status == Status.NO_TARGET
    assert gbv.change_from_previous is not None
    assert gbv.change_from_previous.difference == gbv.annual_value - gbv.previous_value


def test_every_page_and_export_counts_the_statuses_it_lists(
    client_for, reporting_staff, mali_plan, figures
):
    expected = progress.count_statuses(figure.status for figure in figures)
    assert sum(expected.values()) == len(figures)
    assert expected[Status.NO_TARGET] > 0
    labels = {str(status.label): status for status in Status}
    client = client_for(reporting_staff)
    plan_url = f"/plans/{mali_plan.slug}"

    # Dashboard: the cards and the axes add up to the indicators listed.
    dashboard = client.get(f"{plan_url}/?year={YEAR}")
    assert dashboard.context["totals"] == expected
    by_axis = Counter()
    for summary in dashboard.context["summaries"]:
        by_axis.update(summary.statuses)
        assert sum(summary.statuses.values()) == len(summary.figures)
    assert {status: by_axis[status] for status in Status} == expected

    # Indicator table: its export's status column.
    table = csv_table(client.get(f"{plan_url}/indicators/?year={YEAR}&export=csv"))
    column = table[0].index("Status")
    assert Counter(labels[row[column]] for row in table[1:]) == {
        status: count for status, count in expected.items() if count
    }

    # Annual report: the summary of the page, the PDF, the XLSX, and the CSV's rows.
    report = f"{plan_url}/reports/{YEAR}"
    page = re.sub(r"\s+", " ", client.get(f"{report}/?draft=1").content.decode())
    pdf = re.sub(
        r"\s+",
        " ",
        " ".join(
            page.extract_text()
            for page in PdfReader(
                io.BytesIO(b"".join(client.get(f"{report}.pdf").streaming_content))
            ).pages
        ),
    )
    summary = {
        row[0].value: row[1].value
        for row in load_workbook(
            io.BytesIO(b"".join(client.get(f"{report}.xlsx").streaming_content))
        )["Summary"].iter_rows(min_row=2)
    }
    rows = csv_table(client.get(f"{report}.csv"))
    status_column = rows[0].index("Status")
    in_csv = Counter(labels[row[status_column]] for row in rows[1:] if row[4] == "total")
    for status, count in expected.items():
        label = str(status.label)
        in_page = re.escape(f"{status.icon} {label}") + rf'\s*</th>\s*<td class="num">{count}<'
        assert re.search(in_page, page), label
        assert f"{status.icon} {label} {count}" in pdf, label
        assert summary[label] == count, label
        assert in_csv[status] == count, label
