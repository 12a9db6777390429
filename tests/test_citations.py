"""Sources a reader can check (DESIGN.md §2): readers see a publication's citation, in their
language; the secretariat's internal notes reach only those who enter or validate figures,
never a public page, an export or a report."""

import datetime
import io
import re

import pytest
from django.db import IntegrityError
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from tracker import services
from tracker.models import IndicatorValue, Plan, Source

from .factories import (
    IndicatorFactory,
    IndicatorValueFactory,
    SourceFactory,
    period_of,
)

pytestmark = pytest.mark.django_db
YEAR = 2021
NOTE = "Figure also checked against the CSA secretariat list of 11 February"


@pytest.fixture
def update():
    return SourceFactory(
        publisher_en="UN Women",
        publisher_fr="ONU Femmes",
        title_en="Update on women, peace and security in Mali",
        title_fr="Point sur les femmes, la paix et la sécurité au Mali",
        published_on=datetime.date(2021, 4, 29),
        address="https://www.unwomen.org/",
    )


@pytest.fixture
def plan(plan):
    """conftest's plan, open to anonymous visitors: the public pages are what is read here."""
    Plan.objects.filter(pk=plan.pk).update(is_public=True)
    plan.is_public = True
    return plan


@pytest.fixture
def csa(plan, institution, update):
    indicator = IndicatorFactory(result__axis__plan=plan, code="1.2-a", name="Women in the CSA")
    indicator.responsible_institutions.add(institution)
    IndicatorValueFactory(
        indicator=indicator,
        period=period_of(plan, YEAR, 1),
        value=9,
        citation=update,
        source="",
        note=NOTE,
    )
    return indicator


def test_a_citation_reads_in_the_readers_language(update):
    with translation.override("en"):
        assert (
            update.citation
            == "UN Women, “Update on women, peace and security in Mali”, April 29, 2021"
        )
    with translation.override("fr"):
        assert update.citation == (
            "ONU Femmes, «\u00a0Point sur les femmes, la paix et la sécurité au Mali\u00a0», "
            "29 avril 2021"
        )


@pytest.mark.parametrize(
    "precision, text", [("day", "April 29, 2021"), ("month", "April 2021"), ("year", "2021")]
)
def test_a_date_is_as_precise_as_the_publication(update, precision, text):
    update.date_precision = precision
    with translation.override("en"):
        assert update.date_text == text


def test_a_typed_source_stands_when_no_publication_is_catalogued(csa):
    value = IndicatorValue.objects.get(indicator=csa)
    assert value.citation_text.startswith("UN Women, “Update")
    value.citation, value.source = None, "CNS minutes, Q1 2021"
    assert value.citation_text == "CNS minutes, Q1 2021"


def test_the_indicator_page_shows_the_citation_and_the_note_only_to_who_enters(
    client_for, member, reporting_staff, csa
):
    url = reverse("indicator-detail", args=[csa.plan.slug, csa.code])
    for_member = client_for(member).get(url).content.decode()
    assert "Update on women, peace and security in Mali" in for_member
    assert NOTE in for_member
    for_staff = client_for(reporting_staff).get(url).content.decode()
    assert "Update on women, peace and security in Mali" in for_staff
    assert NOTE not in for_staff


def test_public_pages_exports_and_the_published_report_never_show_a_note(
    client, client_for, reporting_staff, csa
):
    plan = csa.plan
    services.publish_report(user=reporting_staff, plan=plan, year=YEAR)
    report = reverse("annual-report", args=[plan.slug, YEAR])
    public = client.get(reverse("plan-detail", args=[plan.slug])).content.decode()
    assert NOTE not in public
    framework = client_for(reporting_staff).get(reverse("plan-framework", args=[plan.slug]))
    staff_page = framework.content.decode()
    assert "Update on women, peace and security in Mali" in staff_page
    assert NOTE not in staff_page
    published = client.get(report).content.decode()
    assert "Update on women, peace and security in Mali" in published
    assert "https://www.unwomen.org/" in published
    assert NOTE not in published
    staff = client_for(reporting_staff)
    for kind in ("csv", "xlsx"):
        exported = staff.get(reverse("annual-report-export", args=[plan.slug, YEAR, kind]))
        body = (
            b"".join(exported.streaming_content)
            if hasattr(exported, "streaming_content")
            else exported.content
        )
        if kind == "xlsx":
            workbook = load_workbook(io.BytesIO(body))
            cells = [
                str(cell.value)
                for sheet in workbook
                for row in sheet.iter_rows()
                for cell in row
                if cell.value is not None
            ]
            assert any("Update on women, peace and security" in cell for cell in cells)
            assert not any(NOTE in cell for cell in cells)
        else:
            assert NOTE not in body.decode("utf-8")
    table = staff.get(reverse("indicator-list", args=[plan.slug]) + f"?year={YEAR}&export=csv")
    assert NOTE not in b"".join(table.streaming_content).decode("utf-8")


def test_the_report_annex_lists_each_publication_once_with_its_figures(
    client_for, reporting_staff, csa, update
):
    IndicatorValueFactory(
        indicator=csa, period=period_of(csa.plan, YEAR, 2), value=12, citation=update
    )
    page = client_for(reporting_staff).get(
        reverse("annual-report", args=[csa.plan.slug, YEAR]) + "?draft=1"
    )
    # From the page itself: its body may come from the cache, without a template's context.
    annex = page.content.decode().split('<table class="table table-sm sources">')[1]
    rows = annex.split("</table>")[0].split("<tbody>")[1].count("<tr>")
    assert rows == 1
    assert "<td>1.2-a (Q1 2021), 1.2-a (Q2 2021)</td>" in annex


def test_a_source_needs_a_publisher_and_a_title(db):
    with pytest.raises(IntegrityError):
        Source.objects.create(publisher="", title="", published_on="2021-01-01", kind="report")


FILING = re.compile(r"\d{3}_[0-9a-f]{16}\.txt|seed 00\d|domain file|\.md\b|check it before", re.I)


@pytest.fixture
def mali(mali_plan):
    """The shipped Mali plan, opened to anonymous visitors."""
    Plan.objects.filter(pk=mali_plan.pk).update(is_public=True)
    return mali_plan


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_demo_shows_publications_and_no_filing_anywhere(
    client, client_for, secretariat, reporting_staff, mali, language
):
    services.publish_report(user=reporting_staff, plan=mali, year=YEAR)
    plan = f"/plans/{mali.slug}"
    client.cookies["django_language"] = language
    public = {
        "dashboard": client.get(f"{plan}/"),
        "published report": client.get(f"{plan}/reports/{YEAR}/"),
        "published PDF": client.get(f"{plan}/reports/{YEAR}.pdf"),
    }
    secretariat_client = client_for(secretariat)
    secretariat_client.cookies["django_language"] = language
    signed_in = {
        name: secretariat_client.get(f"{plan}/{path}")
        for name, path in {
            "framework": "framework/",
            "indicator page": "indicators/2.0-a/?year=2020",
            "indicator table CSV": f"indicators/?year={YEAR}&export=csv",
            "report XLSX": f"reports/{YEAR}.xlsx",
            "report CSV": f"reports/{YEAR}.csv",
            "whole-year entry": "periods/2020/?institution=1",
            "queue": "validation/",
        }.items()
    }
    for name, response in {**public, **signed_in}.items():
        assert response.status_code == 200, name
        text = body_text(response)
        assert not FILING.search(text), (name, FILING.search(text).group())
    report = body_text(public["published report"])
    assert "Update on women, peace and security in Mali" in report
    publisher = {"fr": "ONU Femmes", "en": "UN Women"}[language]
    assert publisher in report


def body_text(response):
    content = (
        b"".join(response.streaming_content)
        if hasattr(response, "streaming_content")
        else response.content
    )
    if content.startswith(b"%PDF"):
        return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    if content.startswith(b"PK"):
        workbook = load_workbook(io.BytesIO(content))
        return " ".join(
            str(cell.value)
            for sheet in workbook
            for row in sheet.iter_rows()
            for cell in row
            if cell.value is not None
        )
    return content.decode("utf-8")
