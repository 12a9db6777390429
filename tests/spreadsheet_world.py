"""What the spreadsheet tests share: a plan whose institution reports one indicator of each unit
kind (a count broken down by sex × region with a draft value, a percentage, a yes/no
milestone, an ordinal scale, an FCFA amount), and helpers that download a template, fill it
with openpyxl as a person would in Excel, and upload it."""

import io
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.base import ContentFile
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tracker.models import BreakdownRow, DimensionValue, IndicatorValue, SpreadsheetImport
from tracker.spreadsheets.importing import file_digest
from tracker.spreadsheets.template import template_bytes

from .factories import (
    BreakdownRowFactory,
    DimensionFactory,
    DimensionValueFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    PlanFactory,
    ResultFactory,
    participation_scale,
    period_of,
)

YEAR, QUARTER = 2021, 2
KEYS_SHEET = "_keys"


@dataclass
class World:
    plan: object
    period: object
    cases: object  # count, sex × region, with a draft value of 100
    share: object  # percentage
    law: object  # milestone
    participation: object  # scale
    budget: object  # amount
    sexes: list
    regions: list
    draft: object  # the draft value of `cases`


def category_of(dimension, **fields):
    """A category of a breakdown dimension, shared by the worlds a test builds."""
    return DimensionValue.objects.filter(
        dimension=dimension, code=fields["code"]
    ).first() or DimensionValueFactory(dimension=dimension, **fields)


def build_world(institution, *, regions=3, slug="nap"):
    plan = PlanFactory(slug=slug, title="Mali NAP 1325")
    result = ResultFactory(axis__plan=plan, code="1.1", statement="Women take part")
    sex = DimensionFactory(code="sex", name="Sex", order=1)
    region = DimensionFactory(code="region", name="Region", order=2)
    sexes = [
        category_of(sex, code="women", name="Women", order=1),
        category_of(sex, code="men", name="Men", order=2),
    ]
    places = [
        category_of(region, code=f"r{n}", name=f"Region {n}", order=n)
        for n in range(1, regions + 1)
    ]
    cases = IndicatorFactory(result=result, code="1.1-a", name="GBV cases recorded")
    cases.dimensions.add(sex, region)
    share = IndicatorFactory(
        result=result, code="1.1-b", name="Share of women in councils", percentage=True
    )
    law = IndicatorFactory(
        result=result,
        code="1.1-c",
        name='=HYPERLINK("http://evil.example","law adopted")',
        unit_kind="milestone",
        aggregation="latest",
    )
    participation = participation_scale(result, code="1.1-d")
    budget = IndicatorFactory(result=result, code="1.1-e", name="Budget spent", unit_kind="amount")
    for indicator in (cases, share, law, participation, budget):
        indicator.responsible_institutions.add(institution)
    period = period_of(plan, YEAR, QUARTER)
    draft = IndicatorValueFactory(
        indicator=cases,
        period=period,
        value=Decimal(100),
        status=IndicatorValue.Status.DRAFT,
        narrative="@SUM(1,1) from the registers",
        validated_at=None,
    )
    for category, amount in zip(sexes, (60, 40), strict=True):
        BreakdownRowFactory(
            indicator_value=draft, category=category, cross_category=places[0], value=amount
        )
    return World(plan, period, cases, share, law, participation, budget, sexes, places, draft)


# The file


def template_url(world, institution=None):
    url = reverse(
        "period-template", kwargs={"slug": world.plan.slug, "year": YEAR, "quarter": QUARTER}
    )
    return url + (f"?institution={institution.pk}" if institution else "")


def import_url(world):
    return reverse(
        "period-import", kwargs={"slug": world.plan.slug, "year": YEAR, "quarter": QUARTER}
    )


def download(client, world, institution=None):
    response = client.get(template_url(world, institution))
    assert response.status_code == 200, response.content[:500]
    return response.content


def cell_map(workbook):
    """{indicator code: {field: cell reference}}, read from the hidden keys as a test may."""
    return {
        row[2]: dict(pair.split("=") for pair in row[4].split(";"))
        for row in workbook[KEYS_SHEET].iter_rows(values_only=True)
        if row[0] == "indicator"
    }


def breakdown_cell(world, sex, region):
    """The form's field name of a breakdown cell of `cases`."""
    return f"cell_{world.sexes[sex].pk}_{world.regions[region].pk}"


def fill(data, changes, sheet=None):
    """The workbook `data` with `changes` ({(code, field): value}) typed into its cells."""
    workbook = load_workbook(io.BytesIO(data))
    cells = cell_map(workbook)
    worksheet = workbook[sheet] if sheet else workbook.worksheets[1]
    for (code, field), value in changes.items():
        worksheet[cells[code][field]].value = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, world, data, name="quarter.xlsx"):
    file = io.BytesIO(data)
    file.name = name
    return client.post(import_url(world), {"file": file})


def stored_state():
    """Every row an import could write, to prove a refusal stored nothing."""
    return [
        [model_to_dict(row, exclude=["file"]) for row in model.objects.order_by("pk")]
        for model in (IndicatorValue, BreakdownRow, SpreadsheetImport)
    ] + [IndicatorValue.history.count()]


def kept_import(period, institution, user, changes, status="previewed"):
    """A SpreadsheetImport of `user`, as the upload page keeps it: the institution's template
    for `period` with `changes` typed in (see fill)."""
    data = fill(template_bytes(period=period, institution=institution, locked_for=_never), changes)
    kept = SpreadsheetImport(
        plan=period.plan,
        period=period,
        institution=institution,
        uploaded_by=user,
        original_name="quarter.xlsx",
        size=len(data),
        sha256=file_digest(data),
        status=status,
        committed_at=timezone.now() if status == "committed" else None,
    )
    kept.file.save("import.xlsx", ContentFile(data), save=False)
    kept.save()
    return kept


def _never(record):
    return False
