"""The exchange exports (issue 16), checked by schemas and files we did not write: the DHIS2
dataValueSets export of a known dataset equals a hand-checked file; the ADX and IATI exports
of the demo (Mali's plan and its reported figures) validate against the ADX loose schema and
the official IATI 2.03 schema."""

import datetime
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from lxml import etree

from tracker.exchange import adx, dhis2, documents, iati
from tracker.exchange.common import PeriodRange, dhis2_period, figure_text, iso_period, parse_period
from tracker.models import ComboMapping, ExchangeSettings, Indicator, IndicatorValue, Plan

from .factories import (
    AnnualTargetFactory,
    BreakdownRowFactory,
    DimensionFactory,
    DimensionValueFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    InstitutionFactory,
    PlanFactory,
    RegionFactory,
    period_of,
)

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parent / "data"
NOW = datetime.datetime(2024, 2, 1, 9, 30, tzinfo=datetime.UTC)
Status = IndicatorValue.Status


def schema(path):
    return etree.XMLSchema(etree.parse(str(path)))


ADX_SCHEMA = DATA / "adx" / "adx_loose.xsd"
IATI_SCHEMA = DATA / "iati-2.03" / "iati-activities-schema.xsd"


def valid(xsd, content):
    document = etree.fromstring(content)
    checker = schema(xsd)
    assert checker.validate(document), checker.error_log
    return document


@pytest.fixture
def known_dataset():
    """The dataset of tests/data/dhis2_expected.json (see tests/data/README.md)."""
    lead = InstitutionFactory(name="Ministère de la Promotion de la Femme", acronym="MPFEF")
    plan = PlanFactory(slug="nap-test", country="Mali", lead_institution=lead)
    ExchangeSettings.objects.create(plan=plan, org_unit="ML", data_set="NAP1325")
    sex = DimensionFactory(code="sex", name="Sexe", order=1)
    women = DimensionValueFactory(dimension=sex, code="women", name="Femmes", order=1)
    men = DimensionValueFactory(dimension=sex, code="men", name="Hommes", order=2)
    region = DimensionFactory(code="region", name="Région", order=2)
    mopti = DimensionValueFactory(
        dimension=region, code="mopti", name="Mopti", region=RegionFactory(code="ML-5")
    )
    ComboMapping.objects.create(category=women, combo="cocWomen001")
    count = IndicatorFactory(
        result__axis__plan=plan,
        result__code="1.1",
        code="1.1-a",
        name_fr="Femmes formées",
        name_en="Women trained",
    )
    count.dimensions.add(sex, region)
    AnnualTargetFactory(indicator=count, year=2021, value=Decimal(40))
    share = IndicatorFactory(result=count.result, code="1.2-b", percentage=True)
    q1 = IndicatorValueFactory(indicator=count, period=period_of(plan, 2021, 1), value=30)
    IndicatorValue.objects.filter(pk=q1.pk).update(qualifier="at_least")
    BreakdownRowFactory(indicator_value=q1, category=women, value=20)
    BreakdownRowFactory(indicator_value=q1, category=men, value=10)
    BreakdownRowFactory(indicator_value=q1, category=women, cross_category=mopti, value=5)
    IndicatorValueFactory(
        indicator=share, period=period_of(plan, 2021, 2), numerator=3, denominator=8
    )
    IndicatorValueFactory(indicator=count, period=period_of(plan, 2021, None), value=45)
    # Not exported: not validated, or outside the range.
    IndicatorValueFactory(indicator=count, period=period_of(plan, 2021, 2), status=Status.DRAFT)
    IndicatorValueFactory(indicator=count, period=period_of(plan, 2021, 3), status=Status.SUBMITTED)
    IndicatorValueFactory(indicator=count, period=period_of(plan, 2022, 1), value=99)
    return plan


def export(plan, kind, start="2021Q1", end="2021"):
    period_range = PeriodRange.parse(start, end, plan)
    return documents.export(kind, plan, period_range, NOW)[0]


def test_the_dhis2_export_of_a_known_dataset_is_the_hand_checked_file(known_dataset):
    expected = json.loads((DATA / "dhis2_expected.json").read_text())
    assert json.loads(export(known_dataset, "dhis2")) == expected


def test_a_single_period_export_names_its_period(known_dataset):
    document = json.loads(export(known_dataset, "dhis2", "2021Q2", "2021Q2"))
    assert document["period"] == "2021Q2"
    assert [value["dataElement"] for value in document["dataValues"]] == ["1.2-b"]


def test_unset_settings_fall_back_to_sensible_defaults(known_dataset):
    ExchangeSettings.objects.all().delete()
    ComboMapping.objects.all().delete()
    document = json.loads(export(known_dataset, "dhis2", "2021Q1", "2021Q1"))
    assert (document["dataSet"], document["orgUnit"]) == ("nap-test", "Mali")
    combos = [value["categoryOptionCombo"] for value in document["dataValues"]]
    assert combos == ["default", "women", "women_mopti", "men"]


def test_the_adx_export_validates_and_carries_the_disaggregations(known_dataset):
    document = valid(ADX_SCHEMA, export(known_dataset, "adx"))
    ns = {"adx": adx.NAMESPACE}
    groups = document.findall("adx:group", ns)
    assert [group.get("period") for group in groups] == [
        "2021-01-01/P3M",
        "2021-04-01/P3M",
        "2021-01-01/P1Y",
    ]
    assert {group.get("orgUnit") for group in groups} == {"ML"}
    assert {group.get("dataSet") for group in groups} == {"NAP1325"}
    cells = [dict(value.attrib) for value in groups[0].findall("adx:dataValue", ns)]
    assert cells == [
        {"dataElement": "1.1-a", "value": "30"},
        {"dataElement": "1.1-a", "value": "20", "sex": "women"},
        {"dataElement": "1.1-a", "value": "5", "sex": "women", "region": "mopti"},
        {"dataElement": "1.1-a", "value": "10", "sex": "men"},
    ]
    annotation = groups[0].find("adx:dataValue/adx:annotation", ns)
    assert annotation.text == "at least"


def test_an_empty_adx_export_is_still_a_valid_message(known_dataset):
    document = valid(ADX_SCHEMA, export(known_dataset, "adx", "2019", "2019"))
    assert len(document) == 0


def test_the_adx_schema_refuses_a_broken_message():
    broken = (
        b'<adx xmlns="urn:ihe:qrph:adx:2015" exported="2024-02-01T09:30:00+00:00">'
        b'<group orgUnit="ML" period="2021Q1" dataSet="X"><dataValue dataElement="a" value="x"/>'
        b"</group></adx>"
    )
    assert not schema(ADX_SCHEMA).validate(etree.fromstring(broken))


def test_the_iati_export_of_a_known_dataset_validates_with_its_figures(known_dataset):
    document = valid(IATI_SCHEMA, export(known_dataset, "iati"))
    activity = document.find("iati-activity")
    assert activity.findtext("iati-identifier") == "MPFEF-nap-test"
    assert activity.find("reporting-org").get("ref") == "MPFEF"
    (indicator,) = [
        node for node in activity.iter("indicator") if node.find("reference").get("code") == "1.1-a"
    ]
    periods = {node.find("period-start").get("iso-date"): node for node in indicator.iter("period")}
    # 2021 (a target and figures) and 2022 (a figure): IATI carries every year of the plan.
    assert sorted(periods) == ["2021-01-01", "2022-01-01"]
    period = periods["2021-01-01"]
    assert period.find("target").get("value") == "40"
    actuals = period.findall("actual")
    # The year's figure is the whole-year value (45), as on every page; its breakdown is the
    # quarters' (there is none for the whole year).
    assert actuals[0].get("value") == "45"
    dimensions = [
        sorted((d.get("name"), d.get("value")) for d in actual.findall("dimension"))
        for actual in actuals[1:]
    ]
    assert [("region", "mopti"), ("sex", "women")] in dimensions
    assert [location.get("ref") for location in activity.findall("location")] == ["ML-5"]
    mopti = [actual for actual in actuals if actual.find("location") is not None]
    assert mopti[0].find("location").get("ref") == "ML-5"
    titles = indicator.find("title").findall("narrative")
    assert [title.get("{http://www.w3.org/XML/1998/namespace}lang") for title in titles] == [
        None,
        "en",
    ]
    assert titles[1].text == "1.1-a Women trained"


def test_the_iati_schema_refuses_a_broken_activity():
    broken = (
        b'<iati-activities version="2.03"><iati-activity><title/></iati-activity></iati-activities>'
    )
    assert not schema(IATI_SCHEMA).validate(etree.fromstring(broken))


@pytest.fixture
def demo():
    call_command("loaddata", "mali_nap_2019_2023", "mali_reported_values", verbosity=0)
    return Plan.objects.get(slug="mali-2019-2023")


def test_the_demos_adx_and_iati_exports_validate_against_their_schemas(demo):
    adx_document = valid(ADX_SCHEMA, export(demo, "adx", "", ""))
    values = adx_document.findall(f"{{{adx.NAMESPACE}}}group/{{{adx.NAMESPACE}}}dataValue")
    totals = [value for value in values if set(value.attrib) == {"dataElement", "value"}]
    validated = IndicatorValue.objects.filter(indicator__plan=demo, value__isnull=False).validated()
    assert len(totals) == validated.count() > 0
    assert len(values) > len(totals)  # the breakdowns travel too
    iati_document = valid(IATI_SCHEMA, export(demo, "iati"))
    indicators = list(iati_document.iter("indicator"))
    assert len(indicators) == Indicator.objects.filter(plan=demo).count()
    assert any(node.find("period/actual") is not None for node in indicators)
    dhis2_document = json.loads(export(demo, "dhis2", "", ""))
    assert len(dhis2_document["dataValues"]) == len(values)


# The pieces


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2021Q3", (2021, 3)),
        ("2021-Q3", (2021, 3)),
        ("2021", (2021, None)),
        (" 2020 ", (2020, None)),
    ],
)
def test_periods_are_read_in_either_form(text, expected):
    assert parse_period(text) == expected


@pytest.mark.parametrize("text", ["", "21Q3", "2021Q5", "2021-Q", "Q3 2021", "2021-07"])
def test_a_period_named_otherwise_is_refused(text):
    with pytest.raises(ValueError, match="2021Q3"):
        parse_period(text)


def test_periods_are_named_as_each_system_names_them():
    assert (dhis2_period(2021, 3), dhis2_period(2021, None)) == ("2021Q3", "2021")
    assert (iso_period(2021, 4), iso_period(2021, None)) == ("2021-10-01/P3M", "2021-01-01/P1Y")


def test_a_range_by_years_takes_their_quarters_and_whole_year():
    plan = Plan(start_year=2019, end_year=2023)
    years = PeriodRange.parse("2020", "2021", plan)
    assert years.includes(2020, 1) and years.includes(2021, None)
    assert not years.includes(2019, None) and not years.includes(2022, 1)
    quarters = PeriodRange.parse("2021Q2", "2021Q3", plan)
    assert quarters.includes(2021, 2) and not quarters.includes(2021, None)
    with pytest.raises(ValueError):
        PeriodRange.parse("2022", "2021Q4", plan)


@pytest.mark.parametrize(
    "number, text",
    [
        (Decimal("16093.0000"), "16093"),
        (Decimal("28.5700"), "28.57"),
        (Decimal("1E+3"), "1000"),
        (None, None),
    ],
)
def test_figures_are_plain_decimal_text(number, text):
    assert figure_text(number) == text


def test_a_dimension_code_that_is_no_xml_name_is_renamed():
    assert adx.attribute_name("sex") == "sex"
    assert adx.attribute_name("5-age") == "dim_5-age"
    assert adx.attribute_name("value") == "dim_value"


def test_the_iati_identifier_follows_the_settings(known_dataset):
    settings = ExchangeSettings.objects.get(plan=known_dataset)
    settings.iati_reporting_org_ref = "ML-GOV-MPFEF"
    assert iati.iati_identifier(settings) == "ML-GOV-MPFEF-nap-test"
    settings.iati_identifier = "ML-GOV-MPFEF-NAP1325"
    assert iati.iati_identifier(settings) == "ML-GOV-MPFEF-NAP1325"
    assert dhis2.org_unit(settings) == "ML"


# From the annual report page


def test_the_report_page_offers_the_exports_to_who_reads_the_plan(client_for, reporting_staff):
    plan = PlanFactory(slug="nap")
    page = client_for(reporting_staff).get("/plans/nap/reports/2021/").content.decode()
    assert "/plans/nap/exports/dhis2/?start=2021&amp;end=2021" in page
    assert "/plans/nap/exports/iati/" in page
    assert plan.slug == "nap"


@pytest.mark.parametrize("kind", documents.KINDS)
def test_the_page_and_the_api_serve_the_same_document(known_dataset, client_for, secretariat, kind):
    client = client_for(secretariat)
    query = "?start=2021Q1&end=2021"
    english = {"Accept-Language": "en"}
    page = client.get(f"/plans/nap-test/exports/{kind}/{query}", headers=english)
    api = client.get(f"/api/plans/nap-test/exports/{kind}/{query}", headers=english)
    assert page.status_code == api.status_code == 200
    assert page["Content-Type"] == api["Content-Type"]
    assert page["Content-Disposition"].startswith('attachment; filename="nap-test-')

    def without_timestamps(content):
        return re.sub(r'(datetime|exported)="[^"]*"', "", content.decode())

    assert without_timestamps(page.content) == without_timestamps(api.content)


def test_a_bad_range_on_the_page_says_how_to_name_a_period(known_dataset, client_for, secretariat):
    response = client_for(secretariat).get("/plans/nap-test/exports/adx/?start=spring")
    assert response.status_code == 400
    assert "2021Q3" in response.content.decode()
    api = client_for(secretariat).get("/api/plans/nap-test/exports/adx/?start=2022&end=2021")
    assert api.status_code == 400
    assert api.json()["code"] == "invalid"
