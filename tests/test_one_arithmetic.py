"""One arithmetic, one rounding rule (DESIGN.md §3): half up, percentages with one decimal, the
same digit on every page and in every export. 42/147 = 28.571… reads 28,6 % everywhere (it read
28,5 % where Django's number_format cut the decimals off); a baseline of 34.38 or 34.35 reads
34,4 %."""

import csv
import html
import io
import json
import re
import shutil
import subprocess
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook
from pypdf import PdfReader

from tracker import progress
from tracker.completeness import percent as completeness_percent
from tracker.formatting import format_in_unit, format_number, format_percent, format_share
from tracker.models import IndicatorValue
from tracker.reports.tabular import Percent, Sheet, cell_text, xlsx_bytes
from tracker.templatetags.tracker_tags import percent, percent_number, points, share_of

from .factories import (
    AnnualTargetFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    PlanFactory,
    ResultFactory,
    UserFactory,
    period_of,
)

D = Decimal
NBSP = "\u00a0"
YEAR = 2021


# The rule


@pytest.mark.parametrize(
    ("number", "places", "expected"),
    [
        (D("28.571"), 1, D("28.6")),
        (D("28.5714"), 1, D("28.6")),
        (D("34.35"), 1, D("34.4")),
        (D("34.38"), 1, D("34.4")),
        (D("34.25"), 1, D("34.3")),  # half-to-even would give 34.2
        (D("34.349"), 1, D("34.3")),
        (D("0.05"), 1, D("0.1")),
        (D("0.15"), 1, D("0.2")),
        (D("2.5"), 0, D("3")),
        (D("3.5"), 0, D("4")),
        (D("0.78125"), 4, D("0.7813")),
        (28, 1, D("28.0")),
        (1.005, 2, D("1.01")),  # a float is read through its text, not its binary value
        (0.15, 1, D("0.2")),
        # Negatives are symmetric: half away from zero.
        (D("-2.5"), 0, D("-3")),
        (D("-34.35"), 1, D("-34.4")),
        (D("-34.34"), 1, D("-34.3")),
        (D("-0.05"), 1, D("-0.1")),
        (None, 1, None),
    ],
)
def test_rounded_is_half_up(number, places, expected):
    result = progress.rounded(number, places)
    assert result == expected
    if expected is not None:
        assert result.as_tuple().exponent == -places  # the places are kept: 28.0, not 28


def test_a_value_that_rounds_to_zero_is_never_minus_zero():
    assert str(progress.rounded(D("-0.04"), 1)) == "0.0"
    assert str(progress.rounded(D("-0.4"), 0)) == "0"


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [
        (42, 147, D("28.5714")),
        (D(42), D(147), D("28.5714")),
        (9, 29, D("31.0345")),
        (1, 128, D("0.7813")),  # 0.78125, half up at the stored 4 places
        (3, 2000, D("0.15")),
        (0, 7, D(0)),
        (7, 7, D(100)),
        (1, 0, None),
        (None, 5, None),
        (5, None, None),
    ],
)
def test_percentage_is_kept_to_four_places_half_up(numerator, denominator, expected):
    assert progress.percentage(numerator, denominator) == expected


def test_share_as_points_and_mean():
    assert progress.share_as_points(D("0.2857")) == D("28.57")
    assert progress.share_as_points("0.5") == D(50)
    assert progress.share_as_points(None) is None
    assert progress.mean([D("0.2857"), D("0.5")]) == D("0.3929")  # 0.39285, half up
    assert progress.mean(iter([D(1)])) == D(1)
    assert progress.mean([]) is None
    assert progress.PERCENT_PLACES == 1


def test_the_stored_percentage_and_the_annual_ratio_use_the_same_helper():
    value = IndicatorValue(numerator=D(42), denominator=D(147))
    assert value.percentage == D("28.5714") == progress.percentage(42, 147)
    assert IndicatorValue(numerator=D(1), denominator=D(0)).percentage is None
    quarters = [progress.Quarter(1, None, D(42), D(147))]
    assert progress.annual_value(progress.RATIO, quarters) == D("28.5714")


# Formatting: rounds, never truncates


@pytest.mark.parametrize(
    ("number", "places", "french", "english"),
    [
        (D("28.571"), 1, "28,6", "28.6"),
        (D("28.5714"), 1, "28,6", "28.6"),
        (D("34.35"), 1, "34,4", "34.4"),
        (D("34.38"), 1, "34,4", "34.4"),
        (D("34.25"), 1, "34,3", "34.3"),
        (D("0.05"), 1, "0,1", "0.1"),
        (D("2.5"), 0, "3", "3"),
        (D("-34.35"), 1, "-34,4", "-34.4"),
        (D("-0.04"), 1, "0,0", "0.0"),
        (D("28.5714"), None, "28,57", "28.57"),  # no places asked: at most two decimals
        (D("1234.565"), None, f"1{NBSP}234,57", "1,234.57"),
        (D("1234567.5"), 0, f"1{NBSP}234{NBSP}568", "1,234,568"),
        (D(12), None, "12", "12"),
        (28.571, 1, "28,6", "28.6"),
        (None, 1, "—", "—"),
    ],
)
def test_format_number_rounds_half_up_in_both_languages(number, places, french, english):
    with translation.override("fr"):
        assert format_number(number, places) == french
    with translation.override("en"):
        assert format_number(number, places) == english


@pytest.mark.parametrize("language", ["fr", "en"])
def test_format_number_never_truncates(language):
    separator = "," if language == "fr" else "."
    with translation.override(language):
        for thousandths in range(0, 100_000, 7):  # 0 to 99.999: no thousands to group
            number = D(thousandths) / 1000
            half_up = number.quantize(D("0.1"), ROUND_HALF_UP)
            assert format_number(number, 1) == str(half_up).replace(".", separator), number


def test_percentages_read_with_one_decimal_everywhere():
    with translation.override("fr"):
        assert format_percent(D("28.5714")) == "28,6\u00a0%"
        assert format_share(D("0.2857")) == "28,6\u00a0%"
        assert format_in_unit("percentage", D("34.38")) == "34,4\u00a0%"
        assert format_in_unit("percentage", D("34.35")) == "34,4\u00a0%"
        assert percent(D("0.285714")) == "28,6\u00a0%"
        assert percent(None) == "—"
        assert points(D("28.5714")) == "28,6\u00a0%"
        assert points("") == points(None) == "—"
        assert share_of(42, 147) == "28,6\u00a0%"
        assert share_of(0, 147) == "—"
        assert completeness_percent(2, 3) == "66,7"
        assert completeness_percent(1, 0) is None
    with translation.override("en"):
        assert format_percent(D("28.5714")) == "28.6 %"
        assert completeness_percent(1, 8) == "12.5"
    # An HTML attribute: never localised, rounded like the text beside it.
    assert percent_number(D("0.285714")) == "28.6"
    assert percent_number(D("0.0015")) == "0.2"
    assert percent_number(None) == "0"


# Spreadsheet cells


@pytest.mark.parametrize(
    ("points_", "text", "fraction"),
    [
        (D("28.5714"), "28.6", 0.286),
        (D("34.38"), "34.4", 0.344),
        (D("34.35"), "34.4", 0.344),
        (D("0.15"), "0.2", 0.002),
        (D("31"), "31.0", 0.31),
        (D("-12.5"), "-12.5", -0.125),
    ],
)
def test_percent_cells_hold_the_rounded_figure(points_, text, fraction):
    assert cell_text(Percent(points_)) == text
    assert cell_text(Percent(points_), ",") == text.replace(".", ",")
    sheet = Sheet("s", ["Percent"], [[Percent(points_)]])
    cell = load_workbook(io.BytesIO(xlsx_bytes([sheet])))["s"]["A2"]
    # Exactly the shown figure, so no spreadsheet has anything left to round.
    assert cell.value == fraction
    assert cell.number_format == "0.0%"


# The live preview's arithmetic (period_entry.js) against the server's, digit for digit

SCRIPT = Path(settings.BASE_DIR) / "tracker" / "static" / "tracker" / "period_entry.js"
PAIRS = [
    ("42", "147"),
    ("9", "29"),
    ("3", "2000"),  # 0.15: toFixed reads the float 0.1499… and gives 0.1
    ("501", "1001"),  # 50.04995…: kept as 50.0500, shown 50.1, as the server does
    ("1", "8"),
    ("1", "128"),
    ("2", "3"),
    ("1", "3"),
    ("7", "16"),
    ("5", "400"),
    ("1", "1600"),
    ("12,5", "50"),
    ("0,5", "0,75"),
    ("1 234", "5 000"),
    ("0", "7"),
    ("7", "7"),
    ("2000", "1"),  # a preview may exceed 100 while typing: grouped like the server
    ("", "5"),
    ("5", ""),
    ("1", "0"),
    ("-1", "5"),
    ("abc", "5"),
] + [(str(n), str(d)) for d in (6, 7, 11, 13, 17, 29, 33, 147, 999, 1001) for n in range(d + 1)]


def server_preview(numerator, denominator, language):
    """What the server prints for the same typed figures: progress.percentage, then
    format_percent; "—" where the form would not take them."""
    separator = "," if language == "fr" else "."

    def number(text):
        text = "".join(text.split()).replace(separator, ".", 1)
        return D(text) if re.fullmatch(r"\d*\.?\d*", text) and re.search(r"\d", text) else None

    with translation.override(language):
        return format_percent(progress.percentage(number(numerator), number(denominator)))


@pytest.mark.skipif(not shutil.which("node"), reason="node is not installed")
@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_preview_script_rounds_like_the_server(language):
    # As the template's {% number_separators %} gives them.
    separators = {
        "fr": {"decimal": ",", "thousand": NBSP, "percent": NBSP + "%"},
        "en": {"decimal": ".", "thousand": ",", "percent": " %"},
    }
    separators = separators[language]
    pairs = [(n, d) if language == "fr" else (n.replace(",", "."), d) for n, d in PAIRS]
    program = (
        f"const {{percentText}} = require({json.dumps(str(SCRIPT))});"
        f"const pairs = {json.dumps(pairs)};"
        f"const separators = {json.dumps(separators)};"
        "console.log(JSON.stringify(pairs.map(([n, d]) => percentText(n, d, separators))));"
    )
    result = subprocess.run(
        ["node", "-e", program], capture_output=True, text=True, check=True, timeout=60
    )
    shown = json.loads(result.stdout)
    expected = [server_preview(n, d, language) for n, d in pairs]
    assert list(zip(pairs, shown, strict=True)) == list(zip(pairs, expected, strict=True))
    assert shown[0] == ("28,6\u00a0%" if language == "fr" else "28.6 %")
    assert shown[2] == ("0,2\u00a0%" if language == "fr" else "0.2 %")
    assert shown[3] == ("50,1\u00a0%" if language == "fr" else "50.1 %")


# Every page and export prints the same digit


@pytest.fixture
def case(db, institution):
    """A ratio of 42/147 (validated in Q1, submitted in Q2) and two percentage baselines,
    34.38 and 34.35."""
    plan = PlanFactory(slug="one-arithmetic", title="One arithmetic")
    share = IndicatorFactory(
        result=ResultFactory(axis__plan=plan, axis__number=1, code="1.1"),
        code="1.1-a",
        name="Women in the CSA",
        unit_kind="percentage",
        aggregation="ratio",
        target_value=D(100),
    )
    share.responsible_institutions.add(institution)
    AnnualTargetFactory(indicator=share, year=YEAR, value=D(50))
    IndicatorValueFactory(
        indicator=share, period=period_of(plan, YEAR, 1), numerator=D(42), denominator=D(147)
    )
    IndicatorValueFactory(
        indicator=share,
        period=period_of(plan, YEAR, 2),
        numerator=D(42),
        denominator=D(147),
        status=IndicatorValue.Status.SUBMITTED,
        validated_at=None,
        entered_by=UserFactory(),
        submitted_at=timezone.now(),
    )
    baselines = ResultFactory(axis__plan=plan, axis__number=2, code="2.1")
    for code, baseline in (("2.1-a", "34.38"), ("2.1-b", "34.35")):
        IndicatorFactory(
            result=baselines,
            code=code,
            name=f"Baseline of {code}",
            unit_kind="percentage",
            aggregation="latest",
            baseline_value=D(baseline),
            baseline_year=2018,
        )
    return plan


def expected(language):
    """(the ratio, the baselines) as they must read: 28,6 and 34,4 in French."""
    return ("28,6", "34,4") if language == "fr" else ("28.6", "34.4")


def page_text(response):
    """The text a reader sees: no script (Chart.js data), no tags, ASCII white space
    collapsed."""
    assert response.status_code == 200
    content = response.content.decode()
    content = re.sub(r"<(script|style)\b.*?</\1>", " ", content, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", " ", content))
    return re.sub(r"[ \t\r\n\f\v]+", " ", text)


def assert_reads(text, figure, wrong):
    # French puts a no-break space before %, English a plain one.
    assert f"{figure}\u00a0%" in text or f"{figure} %" in text
    for digits in wrong:
        assert digits not in text


def xlsx_points(cell):
    """The figure a spreadsheet shows for a "0.0%" cell, and proof there is nothing left to
    round: the stored fraction is the shown figure exactly."""
    assert cell.number_format == "0.0%"
    shown = D(repr(cell.value)) * 100
    assert shown == shown.quantize(D("0.1"))
    return shown


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_page_and_export_prints_the_same_figure(
    client, case, member, secretariat, reporting_staff, language
):
    ratio, baseline = expected(language)
    sign = "\u00a0%" if language == "fr" else " %"  # French: a no-break space before %
    # Never 28,5 (cut off) nor 28,57; never 34,3, 34,38 or 34,35.
    wrong_ratio, wrong_baseline = [ratio[:-1] + "5"], [baseline[:-1] + "3"]
    slug = case.slug

    def get(url):
        return client.get(url, HTTP_ACCEPT_LANGUAGE=language)

    # The entry page: the last validated figure, and the preview of the period's value.
    client.force_login(member)
    entry = get(f"/plans/{slug}/periods/{YEAR}-Q2/")
    text = page_text(entry)
    assert_reads(text, ratio, wrong_ratio)
    assert f"{ratio}{sign} (42/147)" in text
    output = re.search(r"<output[^>]*>([^<]*)</output>", entry.content.decode()).group(1)
    assert html.unescape(output) == f"{ratio}{sign}"

    # The dashboard: the latest validated figures, and axis 1's mean progress (0.2857).
    dashboard = page_text(get(f"/plans/{slug}/?year={YEAR}"))
    assert f"{ratio}{sign} (42/147)" in dashboard
    mean = re.search(r"(?:Mean progress|Progression moyenne)[^:]*: (\S+[ \u00a0]%)", dashboard)
    assert mean and mean.group(1) == f"{ratio}{sign}"
    for digits in wrong_ratio:
        assert digits not in dashboard

    # The indicator table, its CSV and XLSX.
    table = page_text(get(f"/plans/{slug}/indicators/?year={YEAR}"))
    assert_reads(table, ratio, wrong_ratio)
    delimiter = ";" if language == "fr" else ","
    response = get(f"/plans/{slug}/indicators/?year={YEAR}&export=csv")
    rows = list(
        csv.reader(
            io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")),
            delimiter=delimiter,
        )
    )
    by_code = {row[0]: row for row in rows[1:]}
    assert by_code["1.1-a"][8] == by_code["1.1-a"][12] == ratio  # Q1 and the year
    assert by_code["2.1-a"][5] == by_code["2.1-b"][5] == baseline
    sheet = load_workbook(
        io.BytesIO(get(f"/plans/{slug}/indicators/?year={YEAR}&export=xlsx").content)
    ).active
    cells = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    assert xlsx_points(cells["1.1-a"][8]) == xlsx_points(cells["1.1-a"][12]) == D("28.6")
    assert xlsx_points(cells["2.1-a"][5]) == xlsx_points(cells["2.1-b"][5]) == D("34.4")

    # The indicator page: the year's value and each quarter's.
    indicator = page_text(get(reverse("indicator-detail", args=[slug, "1.1-a"]) + f"?year={YEAR}"))
    assert_reads(indicator, ratio, wrong_ratio)
    assert f"{ratio}{sign} (42/147)" in indicator

    # The validation queue: the submitted Q2 value.
    client.force_login(secretariat)
    queue = page_text(get(reverse("validation-queue", args=[slug])))
    assert f"{ratio}{sign} (42/147)" in queue
    for digits in wrong_ratio:
        assert digits not in queue

    # The annual report: HTML, CSV, XLSX and PDF.
    client.force_login(reporting_staff)
    report = page_text(get(f"/plans/{slug}/reports/{YEAR}/"))
    assert_reads(report, ratio, wrong_ratio)
    assert_reads(report, baseline, wrong_baseline)
    assert report.replace("\u00a0", " ").count(f"{baseline} %") >= 2  # 34.38 and 34.35 alike
    response = get(f"/plans/{slug}/reports/{YEAR}.csv")
    rows = list(
        csv.reader(
            io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")),
            delimiter=delimiter,
        )
    )
    totals = {}
    for row in rows[1:]:
        totals.setdefault(row[1], row)  # an indicator's own row comes before its breakdown's
    q1 = rows[0].index("T1" if language == "fr" else "Q1")  # the quarter column headers
    assert totals["1.1-a"][q1] == totals["1.1-a"][q1 + 4] == ratio  # Q1 and the year
    assert totals["2.1-a"][q1 - 3] == totals["2.1-b"][q1 - 3] == baseline
    book = load_workbook(
        io.BytesIO(b"".join(get(f"/plans/{slug}/reports/{YEAR}.xlsx").streaming_content))
    )
    cells = {row[1].value: row for row in book.worksheets[1].iter_rows(min_row=2)}
    assert xlsx_points(cells["1.1-a"][7]) == xlsx_points(cells["1.1-a"][11]) == D("28.6")
    assert xlsx_points(cells["2.1-a"][4]) == xlsx_points(cells["2.1-b"][4]) == D("34.4")
    pdf = get(f"/plans/{slug}/reports/{YEAR}.pdf")
    squeezed = re.sub(
        r"\s+",
        "",
        " ".join(
            p.extract_text() for p in PdfReader(io.BytesIO(b"".join(pdf.streaming_content))).pages
        ),
    )
    assert f"{ratio}%" in squeezed
    assert squeezed.count(f"{baseline}%") >= 2
    for digits in wrong_ratio + wrong_baseline:
        assert f"{digits}%" not in squeezed


def test_the_indicator_table_and_page_print_a_percentage_baseline_as_a_percentage(
    client, case, member
):
    client.force_login(member)
    table = page_text(client.get(f"/plans/{case.slug}/indicators/?year={YEAR}"))
    page = page_text(client.get(reverse("indicator-detail", args=[case.slug, "2.1-a"])))
    assert "34.4 %" in table and "34.4 %" in page


def test_the_completeness_bar_and_its_text_agree():
    share = progress.completeness(147, 42)
    assert percent_number(share) == "28.6"
    with translation.override("en"):
        assert percent(share) == "28.6 %"
