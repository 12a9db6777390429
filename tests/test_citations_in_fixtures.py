"""Sources a reader can check, in the shipped Mali data: every figure cites a dated
publication, bounds stay bounds, no stored figure is a remainder of two others, and no text of
either fixture names the repository's own filing of its source documents."""

import datetime
import itertools
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

from tracker.models import Indicator, IndicatorValue, Source

FIXTURES = ["mali_nap_2019_2023", "mali_reported_values"]

# The repository's filing of its source documents: never in a shipped text.
FORBIDDEN = [
    re.compile(r"\d{3}_[0-9a-f]{16}\.txt"),
    re.compile(re.escape("seed 00")),
    re.compile(re.escape("Seed 00")),
    re.compile(re.escape("domain file")),
    re.compile(re.escape(".md")),
    re.compile(re.escape("check it before publishing")),
    re.compile(re.escape("stored in Q4")),
]


def fixture_path(name):
    for directory in [*settings.FIXTURE_DIRS, Path(settings.BASE_DIR) / "fixtures"]:
        path = Path(directory) / f"{name}.json"
        if path.exists():
            return path
    raise FileNotFoundError(name)


def records():
    for name in FIXTURES:
        with fixture_path(name).open(encoding="utf-8") as stream:
            for record in json.load(stream):
                yield name, record


def texts(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from texts(item)


@pytest.mark.parametrize("pattern", FORBIDDEN, ids=lambda pattern: pattern.pattern)
def test_no_text_names_the_filing_of_the_source_documents(pattern):
    found = [
        (name, record["model"], record["pk"], text)
        for name, record in records()
        for text in texts(record["fields"])
        if pattern.search(text)
    ]
    assert not found


def test_sources_come_before_the_records_that_cite_them():
    seen_sources = set()
    for _name, record in records():
        fields = record["fields"]
        if record["model"] == "tracker.source":
            seen_sources.add(record["pk"])
        for key in ("citation", "baseline_citation"):
            if fields.get(key) is not None:
                assert fields[key] in seen_sources, (record["model"], record["pk"], key)


def test_every_value_cites_a_dated_publication(mali_plan):
    values = IndicatorValue.objects.select_related("citation")
    assert values.exists()
    for value in values:
        assert value.citation is not None, value
        assert value.citation.published_on is not None, value
        assert value.citation.published_on <= datetime.date.today(), value
        assert value.citation.date_precision in {"day", "month", "year"}, value
        # Entered and validated no later than the publication it cites.
        for stamp in (value.submitted_at, value.validated_at):
            assert stamp is not None and stamp.date() <= value.citation.published_on, value
        # The reader sees the publication, never a typed file name.
        assert value.source == "", value


def test_every_source_reads_in_both_languages(mali_plan):
    assert Source.objects.exists()
    for source in Source.objects.all():
        assert source.publisher_fr and source.publisher_en, source.pk
        assert source.title_fr and source.title_en, source.pk
    update = Source.objects.get(published_on=datetime.date(2021, 4, 29))
    assert update.title_en == "Update on women, peace and security in Mali"
    assert update.date_precision == "day"


def test_no_value_is_a_difference_of_two_other_values(mali_plan):
    """A source's year total minus another figure is a remainder no source states."""
    by_indicator = {}
    for value in IndicatorValue.objects.exclude(value=None):
        by_indicator.setdefault(value.indicator_id, []).append(value)
    for values in by_indicator.values():
        for value in values:
            others = [other.value for other in values if other.pk != value.pk]
            for first, second in itertools.permutations(others, 2):
                assert value.value != first - second, (value, first, second)


@pytest.mark.parametrize(
    "code, figure",
    [("1.0-k", Decimal(874)), ("3.0-h", Decimal(50)), ("2.0-a", Decimal(15000))],
)
def test_every_bound_is_stored_as_a_bound(mali_plan, code, figure):
    value = IndicatorValue.objects.get(indicator__code=code, value=figure)
    assert value.qualifier == "at_least"


def test_other_bounds_and_approximations_keep_their_qualifier(mali_plan):
    assert IndicatorValue.objects.get(indicator__code="1.2-j").qualifier == "at_least"
    assert IndicatorValue.objects.get(indicator__code="1.2-h").qualifier == "about"


def test_the_plan_was_adopted_in_2019_and_signed_on_12_november_2020(mali_plan):
    assert mali_plan.adopted_in == 2019
    assert mali_plan.signed_on == datetime.date(2020, 11, 12)


def test_indicator_citations_and_baselines_are_dated_publications(mali_plan):
    for indicator in Indicator.objects.filter(plan=mali_plan).select_related(
        "citation", "baseline_citation"
    ):
        assert indicator.citation is not None, indicator.code
        if indicator.baseline_value is not None:
            assert indicator.baseline_citation is not None, indicator.code
            assert indicator.baseline_citation.published_on.year >= indicator.baseline_year
