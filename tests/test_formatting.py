"""format_number prints what Django's number_format printed, digit for digit, in every
language: it only reads the separators once per language instead of once per number."""

import random
from decimal import Decimal

import pytest
from django.test import override_settings
from django.utils import translation
from django.utils.formats import number_format

from tracker import progress
from tracker.formatting import format_number, grouped, separators


def django_text(number, places):
    rounded = progress.rounded(number, places)
    return number_format(rounded, places, use_l10n=True, force_grouping=True)


def numbers():
    chosen = [
        "0", "0.001", "0.004", "0.005", "-0.004", "-0.005", "1", "-1", "12.5", "999.995",
        "1000", "-1000", "1234.5", "28.5714", "4000.5", "99999.999", "123456789.0123",
        "-123456789.0123", "1E+3", "1.000E+6", "12345678901234567890.1234", "0.0001",
    ]  # fmt: skip
    generator = random.Random(1325)
    drawn = [
        Decimal(generator.randrange(-(10**12), 10**12)).scaleb(-generator.randrange(0, 8))
        for _ in range(400)
    ]
    return [Decimal(text) for text in chosen] + drawn


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("places", [0, 1, 2, 4])
def test_grouped_prints_what_number_format_printed(language, places):
    with translation.override(language):
        for number in numbers():
            assert grouped(progress.rounded(number, places), places) == django_text(
                number, places
            ), number


@pytest.mark.parametrize("language", ["fr", "en"])
def test_format_number_prints_what_number_format_printed(language):
    with translation.override(language):
        for number in numbers():
            places = 0 if number == number.to_integral_value() else 2
            assert format_number(number) == django_text(number, places), number


def test_the_french_separators():
    with translation.override("fr"):
        assert format_number(Decimal("4000.5")) == "4\u00a0000,50"
        assert format_number(Decimal("-1234567"), 0) == "-1\u00a0234\u00a0567"
    with translation.override("en"):
        assert format_number(Decimal("4000.5")) == "4,000.50"


def test_zero_has_no_sign():
    with translation.override("en"):
        assert grouped(Decimal("-0.00"), 2) == "0.00"
        assert format_number(Decimal("-0.004"), 2) == "0.00"


@pytest.mark.parametrize("text", ["NaN", "Infinity", "-Infinity"])
def test_a_number_that_is_not_finite_is_left_to_number_format(text):
    number = Decimal(text)

    def outcome(function):
        try:
            return function(number, 2)
        except (ArithmeticError, TypeError) as error:
            return type(error)

    with translation.override("en"):
        assert outcome(grouped) == outcome(lambda n, p: number_format(n, p, force_grouping=True))


def test_a_very_long_number_prints_as_number_format_printed():
    number = Decimal("1" * 150 + "." + "5" * 60)
    with translation.override("en"):
        assert grouped(number, 60) == number_format(number, 60, force_grouping=True)
        assert "e" in grouped(number, 60)


def test_separators_follow_the_settings_when_they_change():
    # Without an active language the settings give the separators, which the cache must not
    # outlive.
    with translation.override(None):
        separators_before = separators(None)
        with override_settings(DECIMAL_SEPARATOR="!", THOUSAND_SEPARATOR="_", NUMBER_GROUPING=3):
            assert format_number(Decimal("1234.5")) == "1_234!50"
        with override_settings(DECIMAL_SEPARATOR="!", THOUSAND_SEPARATOR="_", NUMBER_GROUPING=2):
            # Not groups of three: Django's own number_format does it.
            assert format_number(Decimal("1234.5")) == "12_34!50"
        assert separators(None) == separators_before
