"""Bounds stay bounds (DESIGN.md §2, §3): "over 874 councillors" is stored as at least 874,
shown « ≥ 874 » on every page and in every export (XLSX: the number in its cell, the bound in
the next one), carried by the sums it enters, and judged honestly by the status."""

import csv
import io
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from tracker import progress, services
from tracker.models import IndicatorValue

from .factories import (
    AnnualTargetFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    period_of,
)

pytestmark = pytest.mark.django_db
YEAR = 2021
AT_LEAST_874 = "≥\u00a0874"


def body_of(response):
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content)
    return response.content


def text_of(response):
    return body_of(response).decode("utf-8")


def test_over_874_is_stored_as_a_lower_bound(mali_plan):
    value = IndicatorValue.objects.get(indicator__code="1.0-k", value=874)
    assert value.qualifier == progress.Qualifier.AT_LEAST


@pytest.mark.parametrize("language", ["fr", "en"])
def test_over_874_reads_as_a_bound_on_every_page_and_export(
    client_for, reporting_staff, mali_plan, language, settings
):
    settings.LANGUAGE_CODE = language
    client = client_for(reporting_staff)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    plan = f"/plans/{mali_plan.slug}"
    pages = {
        "indicator page": client.get(f"{plan}/indicators/1.0-k/?year={YEAR}"),
        "indicator table": client.get(f"{plan}/indicators/?year={YEAR}&q=1.0-k"),
        "report": client.get(f"{plan}/reports/{YEAR}/?draft=1"),
    }
    for name, response in pages.items():
        assert AT_LEAST_874 in text_of(response), name
    pdf = " ".join(
        page.extract_text()
        for page in PdfReader(
            io.BytesIO(b"".join(client.get(f"{plan}/reports/{YEAR}.pdf").streaming_content))
        ).pages
    )
    assert re.search(r"≥\s*874", pdf)

    with translation.override(language):
        at_least = str(progress.Qualifier.AT_LEAST.label)
    for path in (f"{plan}/reports/{YEAR}.xlsx", f"{plan}/indicators/?year={YEAR}&export=xlsx"):
        workbook = load_workbook(io.BytesIO(body_of(client.get(path))))
        sheet = workbook[workbook.sheetnames[1] if "reports" in path else workbook.sheetnames[0]]
        rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
        row = next(row for row in rows if "1.0-k" in row)
        position = len(row) - 1 - row[::-1].index(874)  # the annual value, after Q2
        assert row[position + 1] == at_least, path
    for path in (f"{plan}/reports/{YEAR}.csv", f"{plan}/indicators/?year={YEAR}&export=csv"):
        table = list(
            csv.reader(
                io.StringIO(text_of(client.get(path)).lstrip("\ufeff")),
                delimiter=";" if language == "fr" else ",",
            )
        )
        row = next(row for row in table if "1.0-k" in row)
        assert at_least in row, path


@pytest.fixture
def councillors(plan, institution):
    indicator = IndicatorFactory(result__axis__plan=plan, code="1.0-k")
    indicator.responsible_institutions.add(institution)
    return indicator


def test_a_sum_with_a_lower_bound_is_a_lower_bound_and_cannot_say_off_track(
    client_for, member, councillors
):
    plan = councillors.plan
    AnnualTargetFactory(indicator=councillors, year=YEAR, value=Decimal(2000))
    IndicatorValueFactory(indicator=councillors, period=period_of(plan, YEAR, 1), value=100)
    IndicatorValueFactory(
        indicator=councillors,
        period=period_of(plan, YEAR, 2),
        value=874,
        qualifier=progress.Qualifier.AT_LEAST,
    )
    page = text_of(
        client_for(member).get(
            reverse("indicator-detail", args=[plan.slug, councillors.code]) + f"?year={YEAR}"
        )
    )
    assert "≥\u00a0974" in page
    assert "Cannot tell" in page and "Off track" not in page


def test_the_entry_page_keeps_the_bound_typed(client_for, member, councillors):
    plan = councillors.plan
    period = period_of(plan, YEAR, 3)
    response = client_for(member).post(
        reverse("period-entry", args=[plan.slug, YEAR, 3]),
        {
            "action": "save",
            f"i{councillors.pk}-version": "0",
            f"i{councillors.pk}-value": "874",
            f"i{councillors.pk}-qualifier": "at_least",
        },
    )
    assert response.status_code == 302
    assert IndicatorValue.objects.get(period=period).qualifier == "at_least"


def test_the_service_refuses_an_unknown_qualifier(member, councillors):
    before = list(IndicatorValue.objects.values())
    with pytest.raises(ValidationError):
        services.save_value(
            user=member,
            indicator=councillors,
            period=period_of(councillors.plan, YEAR, 3),
            data=services.ValueInput(value=Decimal(5), qualifier="roughly"),
            expected_version=0,
        )
    assert list(IndicatorValue.objects.values()) == before
