"""The annual report: one set of figures in HTML, PDF, XLSX and CSV; validated values only;
frozen when published (DESIGN.md §5)."""

import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core.cache import caches
from django.template.loader import render_to_string
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from tracker import services
from tracker.formatting import format_in_unit
from tracker.models import Activity, BreakdownRow, Indicator, IndicatorValue, PublishedReport
from tracker.reports import annual, documents
from tracker.reports import render as report_render

from .factories import (
    ActivityFactory,
    ActivityProgressFactory,
    AnnualTargetFactory,
    BudgetLineFactory,
    CommitteeMeetingFactory,
    DimensionValueFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    MeetingAttendanceFactory,
    OpportunityFactory,
    ResultFactory,
    ScaleLevelFactory,
    period_of,
)

pytestmark = pytest.mark.django_db
YEAR = 2021


@pytest.fixture
def plan(plan):
    """conftest's plan with a year of reporting: values of every unit kind, a breakdown, a
    draft, an activity with its budget and progress, a meeting."""
    participation = ResultFactory(axis__plan=plan, axis__number=1, axis__name="Participation")
    protection = ResultFactory(axis__plan=plan, axis__number=3, axis__name="Protection")
    women = DimensionValueFactory(code="women", name="Women and girls", order=1)
    men = DimensionValueFactory(code="men", name="Men and boys", order=2)

    cases = IndicatorFactory(result=protection, code="3.0-a", name="GBV cases recorded")
    AnnualTargetFactory(indicator=cases, year=YEAR, value=Decimal(9000))
    for quarter, amount, female in ((1, 1879, 1860), (4, 7661, 7600)):  # Q2 and Q3 missing
        value = IndicatorValueFactory(
            indicator=cases, period=period_of(plan, YEAR, quarter), value=Decimal(amount)
        )
        BreakdownRow.objects.create(indicator_value=value, category=women, value=female)
        BreakdownRow.objects.create(indicator_value=value, category=men, value=amount - female)
    IndicatorValueFactory(  # a draft is never counted
        indicator=cases, period=period_of(plan, YEAR, 2), value=Decimal(5555), status="draft"
    )
    share = IndicatorFactory(
        result=participation, code="1.2-a", name="Women in the CSA", percentage=True
    )
    AnnualTargetFactory(indicator=share, year=YEAR, value=Decimal(30))
    IndicatorValueFactory(
        indicator=share,
        period=period_of(plan, YEAR, 1),
        numerator=Decimal(9),
        denominator=Decimal(29),
        source="IEG update, April 2021",
    )
    budget = IndicatorFactory(
        result=participation, code="1.2-b", name="Gender budget", unit_kind="amount"
    )
    IndicatorValueFactory(indicator=budget, period=period_of(plan, YEAR, 3), value=Decimal(1234567))
    law = IndicatorFactory(
        result=participation,
        code="1.2-c",
        name="Quota law applied",
        unit_kind="milestone",
        aggregation="latest",
    )
    IndicatorValueFactory(indicator=law, period=period_of(plan, YEAR, 2), value=Decimal(1))
    salw = IndicatorFactory(
        result=protection,
        code="3.5.1-a",
        name="Gender in SALW law",
        unit_kind="scale",
        aggregation="latest",
    )
    ScaleLevelFactory(indicator=salw, value=2, name="Partly")
    IndicatorValueFactory(indicator=salw, period=period_of(plan, YEAR, 4), value=Decimal(2))
    IndicatorFactory(result=protection, code="3.0-b", name="No data yet")

    activity = ActivityFactory(
        opportunity=OpportunityFactory(result=participation), code="A-1", title="Train mediators"
    )
    BudgetLineFactory(activity=activity, year=YEAR, planned_amount=5_000_000)
    ActivityProgressFactory(
        activity=activity, period=period_of(plan, YEAR, 2), amount_spent=1_250_000
    )
    CommitteeMeetingFactory(period=period_of(plan, YEAR, 1), place="Bamako")
    return plan


@pytest.fixture
def staff_client(client_for, reporting_staff):
    return client_for(reporting_staff)


def url(plan, suffix="/"):
    return f"/plans/{plan.slug}/reports/{YEAR}{suffix}"


def correct_first_quarter_cases(secretariat):
    """The secretariat corrects a validated value: 3.0-a's first quarter becomes 1 900."""
    cases = IndicatorValue.objects.get(indicator__code="3.0-a", period__quarter=1)
    services.save_value(
        user=secretariat,
        indicator=cases.indicator,
        period=cases.period,
        data=services.ValueInput(value=Decimal(1900)),
        expected_version=cases.version,
        reason="GBVIMS revised Q1",
    )


def html_rows(page):
    """{code: [Q1, Q2, Q3, Q4, annual]} as the HTML report shows them."""
    rows = {}
    for match in re.finditer(
        r'<tr class="indicator-row" data-code="([^"]+)">(.*?)</tr>', page, re.S
    ):
        cells = re.findall(r'<td class="num[^"]*">([^<]*)</td>', match.group(2))
        rows[match.group(1)] = [cell.strip() for cell in cells[2:7]]
    return rows


UNITS = {
    "3.0-a": "count",
    "1.2-a": "percentage",
    "1.2-b": "amount",
    "1.2-c": "milestone",
    "3.5.1-a": "scale",
    "3.0-b": "count",
}


def test_the_four_forms_carry_the_same_figures(plan, staff_client):
    page = staff_client.get(url(plan)).content.decode()
    shown = html_rows(page)
    assert shown["3.0-a"] == ["1,879", "—", "—", "7,661", "9,540"]
    assert shown["1.2-a"][0] == "31.0 %" and shown["1.2-a"][4] == "31.0 %"
    assert shown["1.2-b"][4] == "1,234,567 FCFA"
    assert shown["1.2-c"][4] == "Yes"
    assert shown["3.0-b"] == ["—"] * 5
    assert "5,555" not in page  # the draft

    # CSV: the same numbers, one row per indicator and per breakdown cell.
    response = staff_client.get(url(plan, ".csv"))
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    table = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    header, body = table[0], table[1:]
    q1, annual = header.index("Q1"), header.index("Annual value")
    totals = {row[1]: row for row in body if row[4] == "total"}
    for code, cells in shown.items():
        as_text = [
            format_in_unit(UNITS[code], Decimal(v) if v else None)
            for v in totals[code][q1 : q1 + 4] + [totals[code][annual]]
        ]
        assert as_text == cells, code
    breakdown = [
        (row[6], row[annual]) for row in body if row[1] == "3.0-a" and row[4] == "breakdown"
    ]
    assert breakdown == [("Women and girls", "9460"), ("Men and boys", "80")]

    # XLSX: numbers stored as numbers, percentages as percentages, FCFA with a format.
    response = staff_client.get(url(plan, ".xlsx"))
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert {
        "Summary",
        "Indicators",
        "Breakdowns",
        "Activities",
        "Budget",
        "Meetings",
        "Narrative",
        "Sources",
    } <= set(workbook.sheetnames)
    sheet = workbook["Indicators"]
    assert sheet.freeze_panes == "A2"
    rows = {row[1].value: row for row in sheet.iter_rows(min_row=2)}
    assert [cell.value for cell in rows["3.0-a"][7:12]] == [1879, None, None, 7661, 9540]
    assert rows["1.2-a"][11].value == pytest.approx(0.310)  # 31.0 %, rounded as the pages
    assert rows["1.2-a"][11].number_format == "0.0%"
    assert rows["1.2-b"][11].value == 1234567
    assert "FCFA" in rows["1.2-b"][11].number_format
    for code, cells in shown.items():
        unit = UNITS[code]
        numbers = [cell.value for cell in rows[code][7:12]]
        if unit == "percentage":
            numbers = [None if n is None else Decimal(str(round(n * 100, 4))) for n in numbers]
        assert [format_in_unit(unit, n) for n in numbers] == cells, code

    # PDF: the text of its pages holds each indicator's line with the same figures.
    response = staff_client.get(url(plan, ".pdf"))
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    assert len(reader.pages) >= 2
    pdf_text = " ".join(page.extract_text() for page in reader.pages)
    pdf_text = re.sub(r"\s+", " ", pdf_text)
    for code, cells in shown.items():
        position = pdf_text.index(code)
        following = pdf_text[position : position + 400]
        for cell in cells:
            if cell != "—":
                assert cell in following, (code, cell)
    assert "2 / " in pdf_text  # page numbers


def test_file_names_carry_plan_and_year(plan, staff_client):
    response = staff_client.get(url(plan, ".xlsx"))
    assert response["Content-Disposition"] == (
        'attachment; filename="annual-report-mali-2019-2023-2021-draft-en.xlsx"'
    )


def test_publishing_freezes_the_figures_and_counts_later_changes(
    plan, staff_client, reporting_staff, secretariat
):
    response = staff_client.post(url(plan, "/publish/"))
    assert response.status_code == 302
    assert PublishedReport.objects.get().number == 1

    # The secretariat corrects a validated value afterwards.
    correct_first_quarter_cases(secretariat)
    page = staff_client.get(url(plan)).content.decode()
    assert html_rows(page)["3.0-a"][0] == "1,879"  # the published figure, unchanged
    assert "1 validated value has changed since publication" in page
    draft = staff_client.get(url(plan, "/?draft=1")).content.decode()
    assert html_rows(draft)["3.0-a"][0] == "1,900"

    staff_client.post(url(plan, "/publish/"))
    assert sorted(PublishedReport.objects.values_list("number", flat=True)) == [1, 2]
    assert html_rows(staff_client.get(url(plan)).content.decode())["3.0-a"][0] == "1,900"
    assert (
        html_rows(staff_client.get(url(plan, "/?version=1")).content.decode())["3.0-a"][0]
        == "1,879"
    )


def test_narrative_is_written_by_reporting_staff(plan, staff_client, client_for, member):
    sections = {
        "summary": "Une année de progrès.",
        "achievements": "Neuf femmes au CSA.",
        "challenges": "Insécurité.",
        "recommendations": "Atteindre 30 %.",
    }
    staff_client.post(url(plan, "/narrative/"), sections)
    assert "Neuf femmes au CSA." in staff_client.get(url(plan)).content.decode()
    assert client_for(member).post(url(plan, "/narrative/"), sections).status_code == 403


@pytest.mark.parametrize("user_fixture", ["member", "secretariat", "framework_admin"])
def test_other_roles_read_only_the_published_report(
    request, plan, client_for, reporting_staff, user_fixture
):
    client = client_for(request.getfixturevalue(user_fixture))
    assert client.get(url(plan)).status_code == 403  # nothing published yet
    assert client.post(url(plan, "/publish/")).status_code == 403
    assert not PublishedReport.objects.exists()
    services.publish_report(user=reporting_staff, plan=plan, year=YEAR)
    assert client.get(url(plan)).status_code == 200
    assert client.get(url(plan, ".pdf")).status_code == 200
    assert client.get(url(plan, "/?draft=1")).status_code == 200  # falls back to published
    assert "Narrative and publication" not in client.get(url(plan)).content.decode()


def test_outsider_and_anonymous_are_kept_out_of_a_private_plan(
    plan, client, client_for, outsider, reporting_staff
):
    services.publish_report(user=reporting_staff, plan=plan, year=YEAR)
    assert client_for(outsider).get(url(plan)).status_code == 403
    client.logout()
    response = client.get(url(plan))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get(f"/plans/{plan.slug}/").status_code == 302


def test_public_plan_shows_published_reports_and_dashboard_and_nothing_else(
    plan, client, reporting_staff, client_for
):
    plan.is_public = True
    plan.save()
    assert client.get(url(plan)).status_code == 302  # nothing published yet
    services.publish_report(user=reporting_staff, plan=plan, year=YEAR)
    response = client.get(url(plan))
    assert response.status_code == 200 and "31.0 %" in response.content.decode()
    assert client.get(url(plan, ".csv")).status_code == 200
    assert client.get(url(plan, "/?draft=1")).status_code == 200
    dashboard = client.get(f"/plans/{plan.slug}/?year={YEAR}")
    assert dashboard.status_code == 200
    page = dashboard.content.decode()
    assert "Sign out" not in page and f"/plans/{plan.slug}/indicators/" not in page
    for private in (
        "/indicators/",
        "/framework/",
        "/regions/",
        "/validation/",
        f"/periods/{YEAR}-Q1/",
    ):
        response = client.get(f"/plans/{plan.slug}{private}")
        assert response.status_code == 302, private
    assert client.post(url(plan, "/publish/")).status_code == 302
    assert PublishedReport.objects.count() == 1


def test_mali_report_renders_in_all_four_forms(client_for, reporting_staff, mali_plan):
    client = client_for(reporting_staff)
    base = "/plans/mali-2019-2023/reports/2020"
    page = client.get(base + "/")
    assert page.status_code == 200 and "6,605" in page.content.decode()
    forms = {suffix: client.get(base + suffix) for suffix in (".pdf", ".xlsx", ".csv")}
    for suffix, response in forms.items():
        assert response.status_code == 200, suffix
    # The PDF already fetched: a second rendering would cost a second.
    text = " ".join(
        p.extract_text()
        for p in PdfReader(io.BytesIO(b"".join(forms[".pdf"].streaming_content))).pages
    )
    assert "6,605" in text


# The page's body: rendered once per state of its figures, narrative and language


@pytest.fixture
def body_renderings(monkeypatch):
    """An empty cache, and the renderings of the report's body as they happen."""
    caches["default"].clear()
    renderings = []
    original = documents.render_to_string

    def counted(template_name, context=None, request=None, using=None):
        renderings.append(template_name)
        return original(template_name, context, request, using)

    monkeypatch.setattr(documents, "render_to_string", counted)
    yield renderings
    caches["default"].clear()


def without_csrf(page):
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


def report_body(page):
    return page.split('<div class="annual-report">', 1)[1].rsplit("</div>", 1)[0]


def included_body(response, figures, narrative, language):
    """The body as the page included it before it was kept: the template rendered with the
    page's request and context processors, and the figures presented there and then."""
    with translation.override(language):
        return render_to_string(
            "tracker/_report_body.html",
            {
                "figures": report_render.present(figures),
                "narrative": [
                    (report_render.section_label(name), text) for name, text in narrative.items()
                ],
            },
            request=response.wsgi_request,
        )


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_page_is_the_same_whether_its_body_is_rendered_or_kept(
    plan, staff_client, reporting_staff, body_renderings, language
):
    report = services.annual_report_for(user=reporting_staff, plan=plan, year=YEAR)
    services.save_report_narrative(
        user=reporting_staff,
        report=report,
        sections={"summary": "Une année <b>de</b> progrès.\nDeux lignes.", "challenges": "x"},
    )
    report.refresh_from_db()
    cold = staff_client.get(url(plan, "/?draft=1"), HTTP_ACCEPT_LANGUAGE=language)
    warm = staff_client.get(url(plan, "/?draft=1"), HTTP_ACCEPT_LANGUAGE=language)
    assert body_renderings == ["tracker/_report_body.html"]  # the second from the cache
    page = without_csrf(cold.content.decode())
    assert without_csrf(warm.content.decode()) == page
    with translation.override(language):
        figures = annual.build(plan, YEAR)
    expected = included_body(cold, figures, report.narrative, language)
    assert report_body(page) == expected
    assert "Une année &lt;b&gt;de&lt;/b&gt; progrès.<br>Deux lignes." in expected
    assert ("Indicateurs" if language == "fr" else "Indicators") in expected

    # A published version's body, from the figures it kept.
    version = services.publish_report(user=reporting_staff, plan=plan, year=YEAR)
    first = staff_client.get(url(plan, "/?version=1"), HTTP_ACCEPT_LANGUAGE=language)
    again = staff_client.get(url(plan, "/?version=1"), HTTP_ACCEPT_LANGUAGE=language)
    published = without_csrf(first.content.decode())
    assert without_csrf(again.content.decode()) == published
    assert report_body(published) == included_body(
        first, version.figures_in(language), version.narrative, language
    )
    # The same figures and narrative as the draft: the body already kept.
    assert body_renderings == ["tracker/_report_body.html"]


def test_the_body_is_rendered_again_for_a_new_value_narrative_or_language(
    plan, staff_client, reporting_staff, secretariat, body_renderings
):
    def page(language="en"):
        response = staff_client.get(url(plan, "/?draft=1"), HTTP_ACCEPT_LANGUAGE=language)
        return report_body(response.content.decode())

    first = page()
    assert page() == first and len(body_renderings) == 1

    correct_first_quarter_cases(secretariat)
    corrected = page()
    assert len(body_renderings) == 2
    assert corrected != first and "1,900" in corrected and "1,879" not in corrected

    report = services.annual_report_for(user=reporting_staff, plan=plan, year=YEAR)
    services.save_report_narrative(
        user=reporting_staff, report=report, sections={"summary": "A year of progress."}
    )
    narrated = page()
    assert len(body_renderings) == 3
    assert narrated != corrected and "A year of progress." in narrated

    french = page("fr")
    assert len(body_renderings) == 4
    assert french != narrated and "Indicateurs" in french
    assert page() == narrated and len(body_renderings) == 4  # English still kept


def test_the_body_key_is_the_draft_key_of_its_own_kind(plan):
    figures = annual.build(plan, YEAR)
    narrative = dict.fromkeys(annual.NARRATIVE_SECTIONS, "")
    state = {"figures": figures, "narrative": narrative, "plan": plan, "year": YEAR}
    html = documents.draft_key(**state, language="en", kind="html")
    files = {documents.draft_key(**state, language="en", kind=kind) for kind in documents.KINDS}
    assert html not in files
    caches["default"].clear()
    body = documents.html_body(**state, language="en")
    assert caches["default"].get(html) == str(body)


# Activities and meetings


def test_an_activity_shows_its_latest_report_of_the_year_and_what_it_spent(plan):
    whole_year = plan.reporting_periods.get(year=YEAR, quarter=None)
    opportunity = Activity.objects.get(code="A-1").opportunity
    later = ActivityFactory(opportunity=opportunity, code="A-2", title="Later")
    ActivityProgressFactory(
        activity=later, period=period_of(plan, YEAR, 1), status="ongoing", amount_spent=100
    )
    ActivityProgressFactory(
        activity=later,
        period=period_of(plan, YEAR, 3),
        status="completed",
        percent_complete=100,
        amount_spent=None,
    )
    ActivityProgressFactory(activity=later, period=whole_year, status="delayed", amount_spent=5)
    yearly = ActivityFactory(opportunity=opportunity, code="A-3", title="Yearly")
    ActivityProgressFactory(
        activity=yearly, period=whole_year, status="delayed", percent_complete=10
    )
    ActivityFactory(opportunity=opportunity, code="A-4", title="Silent")
    rows = {row.pop("code"): row for row in annual.build(plan, YEAR)["activities"]}
    leads = {code: row.pop("lead") for code, row in rows.items()}
    assert leads["A-1"] and leads["A-4"]
    assert rows["A-1"] == {
        "title": "Train mediators",
        "status": "ongoing",
        "status_label": "Ongoing",
        "percent_complete": 40,
        "planned": "5000000",
        "spent": "1250000",
    }
    # The latest quarter's report, not the whole year's; amounts missing are left out.
    assert (rows["A-2"]["status"], rows["A-2"]["percent_complete"]) == ("completed", 100)
    assert rows["A-2"]["spent"] == "105"
    # Without a quarterly report, the whole year's.
    assert (rows["A-3"]["status"], rows["A-3"]["status_label"]) == ("delayed", "Delayed")
    assert rows["A-3"]["spent"] is None  # no amount given
    assert rows["A-4"] == {
        "title": "Silent",
        "status": None,
        "status_label": None,
        "percent_complete": None,
        "planned": None,
        "spent": None,
    }


def test_meetings_count_their_attendance(plan):
    meeting = CommitteeMeetingFactory(
        period=period_of(plan, YEAR, 2), date=datetime.date(2021, 5, 4), place="Kayes"
    )
    MeetingAttendanceFactory(meeting=meeting, women_present=3, men_present=1)
    MeetingAttendanceFactory(meeting=meeting, women_present=4, men_present=0)
    same_day = CommitteeMeetingFactory(
        period=period_of(plan, YEAR, 2), date=datetime.date(2021, 5, 4), place="Mopti"
    )
    meetings = annual.build(plan, YEAR)["meetings"]
    assert [(m["place"], m["period"]) for m in meetings] == [
        ("Bamako", "Q1 2021"),
        ("Kayes", "Q2 2021"),
        ("Mopti", "Q2 2021"),
    ]
    assert [(m["institutions"], m["women"], m["men"]) for m in meetings] == [
        (0, 0, 0),
        (2, 7, 1),
        (0, 0, 0),
    ]
    assert same_day.pk > meeting.pk  # the same day: in the order they were recorded


def test_the_annex_lists_the_figures_by_code_then_period(plan):
    survey = {"source": "Household survey 2021"}
    later = IndicatorFactory(result=Indicator.objects.get(code="3.0-a").result, code="9-b")
    earlier = IndicatorFactory(result=later.result, code="10-a")  # before 9-b, as text
    whole_year = plan.reporting_periods.get(year=YEAR, quarter=None)
    for indicator, period in (
        (later, period_of(plan, YEAR, 2)),
        (earlier, whole_year),
        (earlier, period_of(plan, YEAR, 3)),
        (earlier, period_of(plan, YEAR, 1)),
    ):
        IndicatorValueFactory(indicator=indicator, period=period, **survey)
    annex = {row["source"]: row["figures"] for row in annual.build(plan, YEAR)["sources"]}
    assert annex["Household survey 2021"] == (
        "10-a (Q1 2021), 10-a (Q3 2021), 10-a (Year 2021), 9-b (Q2 2021)"
    )
