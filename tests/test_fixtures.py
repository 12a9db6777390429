"""The shipped fixtures: Mali's 2019-2023 plan as far as the sources give it, and the reported
figures, each validated and traceable to a publication a reader can check."""

import datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection, transaction
from django.utils.translation import override

from tracker.models import (
    Axis,
    Indicator,
    IndicatorValue,
    Opportunity,
    Plan,
    Region,
    ReportingPeriod,
    Result,
    Source,
)

from .table_rows import TableRows

pytestmark = pytest.mark.django_db


def value_of(code, year, quarter):
    return IndicatorValue.objects.get(
        indicator__code=code, period__year=year, period__quarter=quarter
    )


def test_plan_and_its_four_axes(mali_plan):
    assert (mali_plan.start_year, mali_plan.end_year, mali_plan.lead_institution.acronym) == (
        2019,
        2023,
        "MPFEF",
    )
    with override("fr"):
        # The plan's official title is French (domain file).
        assert "Femmes, paix et sécurité au Mali 2019-2023" in mali_plan.title
    with override("en"):
        names = list(Axis.objects.filter(plan=mali_plan).values_list("name", flat=True))
    assert names == ["Participation", "Prevention", "Protection", "Relief and recovery"]


def test_plan_keeps_both_dates_and_its_aim(mali_plan):
    # Adopted in 2019 (no day known); signed by the Prime Minister on 12 November 2020.
    assert (mali_plan.adopted_in, mali_plan.signed_on) == (2019, datetime.date(2020, 11, 12))
    with override("en"):
        assert "peacebuilding and reconciliation processes and in post-conflict governance" in (
            mali_plan.aim
        )
    with override("fr"):
        assert "aux processus de consolidation de la paix et de réconciliation" in mali_plan.aim


def test_earlier_plans_exist(mali_plan):
    assert Plan.objects.filter(slug__in=["mali-2012-2014", "mali-2015-2017"]).count() == 2


@pytest.mark.parametrize(
    "code, words",
    [
        ("1.2", "Women are involved in mediation; negotiation; conflict management"),
        ("2.1", "sexual and gender-based violence against women and girls are better prevented"),
        ("2.3", "violent extremism"),
        ("3.5", "trafficking and small arms and light weapons circulation is improved"),
    ],
)
def test_results_quoted_from_the_plan(mali_plan, code, words):
    # Seed 000 quotes the plan's English translation; the French is the tracker's translation.
    with override("en"):
        assert words in Result.objects.get(plan=mali_plan, code=code).statement


@pytest.mark.parametrize(
    "code, words",
    [
        ("2.3.1", "National Policy for preventing and combating violent extremism"),
        ("2.3.2", "identified and analysed through the lens of gender"),
        (
            "3.5.1",
            "Legislation related to small arms and light weapons is updated, aligned with "
            "international and regional instruments, and takes gender into account",
        ),
    ],
)
def test_opportunities_quoted_from_the_plan(mali_plan, code, words):
    with override("en"):
        assert words in Opportunity.objects.get(plan=mali_plan, code=code).statement


def test_every_quarter_and_year_of_the_plan_and_every_region(mali_plan):
    assert ReportingPeriod.objects.filter(plan=mali_plan, quarter__isnull=False).count() == 20
    assert ReportingPeriod.objects.filter(plan=mali_plan, quarter__isnull=True).count() == 5
    assert Region.objects.count() == 11
    assert ReportingPeriod.objects.get(plan=mali_plan, year=2023, quarter=4).is_open


def test_csa_early_2021(mali_plan):
    csa = value_of("1.2-a", 2021, 1)
    assert (csa.numerator, csa.denominator, float(csa.value)) == (9, 29, 31.03)
    assert csa.status == IndicatorValue.Status.VALIDATED


def test_gbv_cases_keep_annual_totals_and_disagreements(mali_plan):
    gbv = Indicator.objects.get(plan=mali_plan, code="2.0-a")
    assert gbv.reporting_frequency == Indicator.Frequency.ANNUAL
    # The whole year as the source gives it; Q1 an in-year observation beside it.
    assert value_of("2.0-a", 2020, None).value == 6605
    assert value_of("2.0-a", 2020, 1).value == 715
    assert value_of("2.0-a", 2021, None).value == 9540
    gbv_2019 = value_of("2.0-a", 2019, None)
    assert gbv_2019.value == 3330
    assert "4,617" in gbv_2019.note or "4617" in gbv_2019.note


def test_no_value_is_stored_in_a_fourth_quarter_for_its_year(mali_plan):
    """Annual figures are whole-year values, and no stored value is a difference of two
    sourced figures (the former remainders 5 890 and 7 661)."""
    values = IndicatorValue.objects.filter(indicator__plan=mali_plan)
    assert not values.filter(note__icontains="stored in").filter(period__quarter=4).exists()
    assert not values.filter(note__icontains="remainder").exists()
    assert not values.filter(value__in=[5890, 7661]).exists()
    for value in values.filter(period__quarter__isnull=True).select_related("indicator"):
        assert value.indicator.reporting_frequency == Indicator.Frequency.ANNUAL, value


def test_national_assembly_2020(mali_plan):
    assembly = value_of("1.0-c", 2020, 2)
    assert (assembly.numerator, assembly.denominator) == (41, 147)
    assert "42" in assembly.note


def test_every_value_is_validated_and_cited(mali_plan):
    values = IndicatorValue.objects.all()
    assert values.exists()
    assert not values.exclude(status=IndicatorValue.Status.VALIDATED).exists()
    # A catalogued publication, not a typed text.
    assert not values.filter(citation=None).exists()
    assert not values.exclude(source="").exists()


def test_every_indicator_is_cited_and_has_an_owner(mali_plan):
    assert not Indicator.objects.filter(source_note="").exists()
    assert not Indicator.objects.filter(citation=None).exists()
    assert not Indicator.objects.filter(responsible_institutions=None).exists()
    # A baseline figure has its publication; one without a publication at hand is left out.
    assert not Indicator.objects.filter(
        baseline_value__isnull=False, baseline_citation=None
    ).exists()
    for code in ("1.2-a", "1.0-f"):
        indicator = Indicator.objects.get(plan=mali_plan, code=code)
        assert (indicator.baseline_value, indicator.baseline_year) == (None, None)
        assert "until one is cited" in indicator.baseline_source


def test_baselines_of_2015_come_from_the_ssr_background_note(mali_plan):
    note = Source.objects.get(title_en="Mali SSR Background Note")
    for code, baseline in (("1.0-b", "9"), ("1.0-c", "9.5"), ("1.0-r", "7.6")):
        indicator = Indicator.objects.get(plan=mali_plan, code=code)
        assert (indicator.baseline_value, indicator.baseline_year) == (Decimal(baseline), 2015)
        assert indicator.baseline_citation == note


def test_gbv_baseline_and_2023_bound_are_cited(mali_plan):
    gbv = Indicator.objects.get(plan=mali_plan, code="2.0-a")
    assert (gbv.baseline_value, gbv.baseline_year) == (2965, 2018)
    assert gbv.baseline_citation.publisher == "Bamada.net"
    gbv_2023 = value_of("2.0-a", 2023, None)
    assert (gbv_2023.value, gbv_2023.qualifier) == (15000, "at_least")
    assert gbv_2023.citation.publisher == "Handara"
    assert not IndicatorValue.objects.filter(value=15993).exists()


def test_conflict_related_sexual_violence_as_the_sources_word_it(mali_plan):
    crsv = Indicator.objects.get(plan=mali_plan, code="2.0-b")
    with override("en"):
        assert "reported by MINUSMA" in crsv.name
        assert "verified by the United Nations" not in crsv.name
    value_2020 = value_of("2.0-b", 2020, None)
    # 21 women and 8 girls: the source names no man or boy, so that cell is unknown, not zero.
    cells = list(value_2020.breakdown_rows.values_list("category__code", "value"))
    assert cells == [("women", 29)]
    value_2019 = value_of("2.0-b", 2019, None)
    assert value_2019.value == 27
    assert value_2019.citation.title_en.endswith("(S/2020/487)")


def test_figures_added_from_the_publications(mali_plan):
    assert value_of("1.2-i", 2021, 1).value == 9
    assert value_of("1.2-i", 2022, None).value == 12
    testimonies = value_of("1.2-j", 2021, 2)
    assert (testimonies.value, testimonies.qualifier) == (20057, "at_least")
    hearings = value_of("1.2-k", 2021, 2)
    assert (hearings.numerator, hearings.denominator) == (5, 23)
    children = value_of("3.0-i", 2020, None)
    assert (children.value, children.qualifier) == (100, "at_least")
    assert value_of("3.0-j", 2020, None).value == 12
    assert value_of("3.0-k", 2021, 2).value == 38
    assert value_of("3.0-l", 2021, 2).value == 1181
    assert value_of("4.0-f", 2020, 4).value == 11
    for code in ("1.2-i", "3.0-i", "3.0-j"):
        assert (
            Indicator.objects.get(plan=mali_plan, code=code).reporting_frequency
            == Indicator.Frequency.ANNUAL
        )
    # The 2020 shares of GBV survivors are shares of survivors, not of the 6 605 cases.
    gbv_2020 = value_of("2.0-a", 2020, None)
    assert "99 %" in gbv_2020.narrative and "58 %" in gbv_2020.narrative
    assert not gbv_2020.breakdown_rows.exists()


# What the database numbers itself as it loads (from sequences, which PostgreSQL does not roll
# back, so they differ from one load to the next) and the history's dates (the time of the
# load). The rows' own ids are the fixtures', except the m2m rows': those and the m2m history's
# copies of them are numbered on load too.
NUMBERED_ON_LOAD = {"history_id", "m2m_history_id", "history_date"}


def comparable(rows):
    models = {model._meta.db_table: model for model in apps.get_models(include_auto_created=True)}
    result = {}
    for table, columns, table_rows in rows.tables:
        numbered = set(NUMBERED_ON_LOAD)
        if models[table]._meta.auto_created or "m2m_history_id" in columns:
            numbered.add("id")
        kept = [index for index, column in enumerate(columns) if column not in numbered]
        result[table] = sorted(
            (tuple(row[index] for index in kept) for row in table_rows), key=repr
        )
    return result


def test_each_test_gets_the_rows_loaddata_writes(_mali_rows):
    """conftest's mali_plan writes a copy of one loaddata per session; a fresh loaddata writes
    the same rows, history included."""
    with connection.cursor() as cursor:
        with transaction.atomic():
            _mali_rows.write()
            copied = TableRows.read(cursor, _mali_rows.table_names())
            transaction.set_rollback(True)
        assert not Plan.objects.exists()
        call_command("loaddata", "mali_nap_2019_2023", "mali_reported_values", verbosity=0)
        loaded = TableRows.read(cursor, _mali_rows.table_names())
    assert comparable(copied) == comparable(loaded)
    assert sum(len(rows) for _table, _columns, rows in loaded.tables) > 500
