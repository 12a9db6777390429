"""The framework from a spreadsheet in the admin (issue 15, django-import-export): indicators,
annual targets, activities and budget lines, each previewed before it is stored, refused row by
row with the models' own checks, and only by framework administrators."""

import csv
import io
import re

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import translation

from tracker.models import Activity, AnnualTarget, BudgetLine, Indicator

from .factories import (
    FundingSourceFactory,
    IndicatorFactory,
    OpportunityFactory,
    PlanFactory,
    ResultFactory,
)
from .test_hostile_spreadsheets import with_parts

pytestmark = pytest.mark.django_db
CSV_FORMAT = "1"  # after the checked XLSX


@pytest.fixture
def plan(institution):
    plan = PlanFactory(slug="nap")
    opportunity = OpportunityFactory(
        result=ResultFactory(axis__plan=plan, code="2.1"), code="2.1.1"
    )
    IndicatorFactory(result=opportunity.result, code="2.1-a")
    FundingSourceFactory(name="Basket fund")
    # The same codes in another plan: rows must name theirs.
    other = PlanFactory(slug="old-plan", start_year=2015, end_year=2017)
    OpportunityFactory(result=ResultFactory(axis__plan=other, code="2.1"), code="2.1.1")
    return plan


def csv_file(rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow(row)
    file = io.BytesIO(buffer.getvalue().encode())
    file.name = "framework.csv"
    return file


def state(model):
    return [model_to_dict(row) for row in model.objects.order_by("pk")]


def preview(client, model, rows, format=CSV_FORMAT):
    url = reverse(f"admin:tracker_{model._meta.model_name}_import")
    file = csv_file(rows) if isinstance(rows, list) else rows
    return client.post(url, {"format": format, "import_file": file})


def confirm(client, model, page):
    """Posts the preview page's confirmation form, as the "Confirm import" button does."""
    html = page.content.decode()
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html))
    fields.pop("csrfmiddlewaretoken", None)
    url = reverse(f"admin:tracker_{model._meta.model_name}_process_import")
    return client.post(url, fields)


INDICATOR_HEADER = [
    "plan",
    "result",
    "opportunity",
    "code",
    "name_fr",
    "name_en",
    "unit_kind",
    "aggregation",
    "reporting_frequency",
    "direction",
    "responsible_institutions",
]


def test_indicators_are_previewed_then_imported(client_for, framework_admin, plan):
    client = client_for(framework_admin)
    rows = [
        INDICATOR_HEADER,
        ["nap", "2.1", "2.1.1", "2.1-b", "Cas de VBG", "GBV cases", "count", "sum", "quarterly"]
        + ["increase", "MPFEF"],
    ]
    before = state(Indicator)
    page = preview(client, Indicator, rows)
    assert page.status_code == 200
    assert "Confirm import" in page.content.decode() and state(Indicator) == before
    assert confirm(client, Indicator, page).status_code == 302
    created = Indicator.objects.get(plan=plan, code="2.1-b")
    assert created.opportunity.code == "2.1.1" and created.result.plan == plan
    assert list(created.responsible_institutions.values_list("acronym", flat=True)) == ["MPFEF"]
    with translation.override("fr"):
        assert Indicator.objects.get(pk=created.pk).name == "Cas de VBG"
    with translation.override("en"):
        assert Indicator.objects.get(pk=created.pk).name == "GBV cases"
    assert created.history.first().history_user == framework_admin


def test_an_indicator_whose_aggregation_does_not_fit_its_unit_is_refused(
    client_for, framework_admin, plan
):
    client = client_for(framework_admin)
    row = ["nap", "2.1", "", "2.1-c", "Part", "Share", "percentage", "sum", "quarterly"]
    before = state(Indicator)
    text = preview(client, Indicator, [INDICATOR_HEADER, [*row, "increase", ""]]).content.decode()
    assert "Confirm import" not in text
    assert "Constraint “indicator_aggregation_fits_unit” is violated." in text
    unknown = ["nap", "9.9", "", "2.1-d", "X", "X", "count", "sum", "quarterly", "increase", ""]
    text = preview(client, Indicator, [INDICATOR_HEADER, unknown]).content.decode()
    assert "Confirm import" not in text
    assert "Result matching query does not exist." in text
    assert state(Indicator) == before


def test_annual_targets_import_within_the_plan_and_refuse_a_year_outside_it(
    client_for, framework_admin, plan
):
    client = client_for(framework_admin)
    page = preview(
        client,
        AnnualTarget,
        [["plan", "indicator", "year", "value"], ["nap", "2.1-a", "2022", "150"]],
    )
    confirm(client, AnnualTarget, page)
    assert AnnualTarget.objects.get(indicator__code="2.1-a", year=2022).value == 150
    before = state(AnnualTarget)
    page = preview(
        client,
        AnnualTarget,
        [["plan", "indicator", "year", "value"], ["nap", "2.1-a", "2031", "9"]],
    )
    assert "The year must fall within the plan (2019-2023)." in page.content.decode()
    assert state(AnnualTarget) == before


def test_activities_and_budget_lines_import_and_refuse_unknown_names(
    client_for, framework_admin, plan
):
    client = client_for(framework_admin)
    header = ["plan", "opportunity", "code", "title_fr", "title_en", "lead_institution"]
    header += ["partners", "start_year", "end_year"]
    page = preview(
        client,
        Activity,
        [header, ["nap", "2.1.1", "A9", "Former", "Train", "MPFEF", "", "2020", "2022"]],
    )
    confirm(client, Activity, page)
    activity = Activity.objects.get(plan=plan, code="A9")
    assert activity.lead_institution.acronym == "MPFEF"
    lines = [["plan", "activity", "year", "funding_source", "planned_amount"]]
    page = preview(client, BudgetLine, [*lines, ["nap", "A9", "2021", "Basket fund", "2500000"]])
    confirm(client, BudgetLine, page)
    assert BudgetLine.objects.get(activity=activity).planned_amount == 2_500_000

    before = (state(Activity), state(BudgetLine))
    page = preview(
        client, Activity, [header, ["nap", "2.1.1", "A10", "X", "X", "NOPE", "", "2020", "2022"]]
    )
    assert "Institution matching query does not exist." in page.content.decode()
    page = preview(client, BudgetLine, [*lines, ["nap", "A9", "2021", "Unknown donor", "1"]])
    assert "FundingSource matching query does not exist." in page.content.decode()
    assert (state(Activity), state(BudgetLine)) == before


def test_a_macro_workbook_is_refused_in_the_admin_too(client_for, framework_admin, member, plan):
    from openpyxl import Workbook

    buffer = io.BytesIO()
    Workbook().save(buffer)
    data = with_parts(buffer.getvalue(), add={"xl/vbaProject.bin": b"macro"})
    file = io.BytesIO(data)
    file.name = "targets.xlsm"
    before = state(AnnualTarget)
    page = preview(client_for(framework_admin), AnnualTarget, file, format="0")
    assert "This workbook contains macros" in page.content.decode()
    assert state(AnnualTarget) == before


@pytest.mark.parametrize("role", ["member", "secretariat", "reporting_staff"])
def test_only_framework_administrators_import(request, client_for, plan, role):
    user = request.getfixturevalue(role)
    user.is_staff = True
    user.save()
    client = client_for(user)
    before = state(AnnualTarget)
    for model in (Indicator, AnnualTarget, Activity, BudgetLine):
        url = reverse(f"admin:tracker_{model._meta.model_name}_import")
        assert client.get(url).status_code == 403
    page = preview(
        client,
        AnnualTarget,
        [["plan", "indicator", "year", "value"], ["nap", "2.1-a", "2022", "1"]],
    )
    assert page.status_code == 403
    assert state(AnnualTarget) == before
