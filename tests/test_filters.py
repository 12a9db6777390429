"""The filter forms of the indicator table and the validation queue (tracker/filters.py): their
selects offer one plan's records, in the reader's language, read as django-filter reads them
but in one round trip."""

import re

import django_filters
import pytest
from django.db.models import QuerySet
from django.utils import translation

from tests.factories import (
    AlignmentTagFactory,
    AxisFactory,
    IndicatorFactory,
    InstitutionFactory,
    PlanFactory,
    ResultFactory,
)
from tracker import filters
from tracker.models import Indicator, IndicatorValue, Institution, Result

pytestmark = pytest.mark.django_db

OPTION = re.compile(r'<option value="([^"]*)"[^>]*>([^<]*)</option>')


@pytest.fixture
def plan(db):
    plan = PlanFactory(slug="nap")
    prevention = AxisFactory(plan=plan, number=1, name_fr="Prévention", name_en="Prevention")
    AxisFactory(plan=plan, number=2, name_fr="Participation", name_en="")
    result = ResultFactory(
        axis=prevention,
        code="1.1",
        statement_fr="Les violences faites aux femmes reculent",
        statement_en="Violence against women declines",
    )
    undp = InstitutionFactory(
        name_fr="Programme des Nations unies pour le développement",
        name_en="United Nations Development Programme",
        acronym_fr="PNUD",
        acronym_en="UNDP",
    )
    # No English name: the French one is shown.
    ministry = InstitutionFactory(name_fr="Ministère de la Justice", name_en=None, acronym="")
    for institution, tag_code in ((undp, "5.2.1"), (ministry, "5.5.1")):
        indicator = IndicatorFactory(result=result)
        indicator.responsible_institutions.add(institution)
        indicator.alignment_tags.add(AlignmentTagFactory(code=tag_code))
    # Another plan's institution is not offered.
    IndicatorFactory(result__axis__plan=PlanFactory()).responsible_institutions.add(
        InstitutionFactory(name="Ailleurs")
    )
    return plan


def selects(filterset_class, plan):
    """{field name: [(value, label)]} of the filter form's selects."""
    model = Indicator if filterset_class is filters.IndicatorFilter else IndicatorValue
    form = filterset_class(None, model.objects.none(), plan=plan).form
    return {field.name: OPTION.findall(str(field)) for field in form if "<select" in str(field)}


def as_django_filter_reads_them(monkeypatch, filterset_class, plan):
    with monkeypatch.context() as patched:
        patched.setattr(
            filters._RecordChoiceField, "iterator", django_filters.fields.ModelChoiceIterator
        )
        return selects(filterset_class, plan)


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("filterset_class", [filters.IndicatorFilter, filters.SubmittedValueFilter])
def test_the_selects_offer_what_django_filter_offers(monkeypatch, plan, filterset_class, language):
    with translation.override(language):
        ours = selects(filterset_class, plan)
        assert ours == as_django_filter_reads_them(monkeypatch, filterset_class, plan)
    assert len(ours["institution"]) == 3 and len(ours["axis"]) == 3


def test_the_options_are_in_the_readers_language(plan):
    undp = Institution.objects.get(acronym_fr="PNUD")
    justice = Institution.objects.get(name_fr="Ministère de la Justice")
    result = Result.objects.get(plan=plan)
    with translation.override("fr"):
        french = selects(filters.IndicatorFilter, plan)
    with translation.override("en"):
        english = selects(filters.IndicatorFilter, plan)
    assert french["institution"] == [
        ("", "Toutes les institutions"),
        (str(justice.pk), "Ministère de la Justice"),
        (str(undp.pk), "PNUD – Programme des Nations unies pour le développement"),
    ]
    # In English the Ministry has no name of its own (French is its fallback): the database's
    # order puts that empty column first on SQLite and last on PostgreSQL.
    assert english["institution"][0] == ("", "All institutions")
    assert sorted(english["institution"][1:]) == sorted(
        [
            (str(justice.pk), "Ministère de la Justice"),
            (str(undp.pk), "UNDP – United Nations Development Programme"),
        ]
    )
    assert [label for _value, label in french["axis"][1:]] == ["1. Prévention", "2. Participation"]
    assert [label for _value, label in english["axis"][1:]] == ["1. Prevention", "2. Participation"]
    assert french["result"][1:] == [
        (str(result.pk), "1.1 Les violences faites aux femmes reculent")
    ]
    assert english["result"][1:] == [(str(result.pk), "1.1 Violence against women declines")]
    assert [label for _value, label in english["tag"][1:]] == ["SDG 5.2.1", "SDG 5.5.1"]


def test_the_options_are_read_without_a_server_side_cursor(monkeypatch, plan):
    # QuerySet.iterator() is a server-side cursor on PostgreSQL: four round trips, not one.
    def refused(self, *args, **kwargs):
        raise AssertionError("options read through QuerySet.iterator()")

    monkeypatch.setattr(QuerySet, "iterator", refused)
    for filterset_class in (filters.IndicatorFilter, filters.SubmittedValueFilter):
        assert all(len(options) > 1 for options in selects(filterset_class, plan).values())


def test_django_filters_null_option_is_still_offered(plan):
    choice = filters.RecordChoiceFilter(
        queryset=Institution.objects.filter(name="Ailleurs"),
        empty_label="All",
        null_label="Nobody",
    )
    values = [str(value) for value, _label in choice.field.choices]
    assert values[:2] == ["", "null"]
    assert len(values) == 3
