"""How an indicator's figures read, in pages and exports alike, in the active language."""

from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _


def format_number(number, decimal_places=None):
    if number is None:
        return "—"
    if not isinstance(number, Decimal):
        number = Decimal(str(number))
    if decimal_places is None:
        # Whole numbers read without ",00"; others keep at most two decimals.
        decimal_places = 0 if number == number.to_integral_value() else 2
    return number_format(number, decimal_places, use_l10n=True, force_grouping=True)


def format_indicator_value(indicator, value):
    """The figure of an IndicatorValue as a reader expects it for the indicator's unit."""
    if value is None or value.value is None:
        return "—"
    kind = indicator.UnitKind
    if indicator.unit_kind == kind.PERCENTAGE:
        text = f"{format_number(value.value, 1)} %"
        if value.denominator:
            text += f" ({format_number(value.numerator)}/{format_number(value.denominator)})"
        return text
    if indicator.unit_kind == kind.AMOUNT:
        return f"{format_number(value.value, 0)} FCFA"
    if indicator.unit_kind == kind.MILESTONE:
        return _("Yes") if value.value else _("No")
    if indicator.unit_kind == kind.SCALE:
        levels = {level.value: level.name for level in indicator.scale_levels.all()}
        level = int(value.value)
        return f"{level} – {levels[level]}" if level in levels else str(level)
    return format_number(value.value)


def format_annual(indicator, number):
    """An annual value (a plain Decimal, not a stored value) in the indicator's unit."""
    return format_in_unit(indicator.unit_kind, number)


def format_in_unit(unit_kind, number):
    """A number as a reader expects it for a unit kind (count, percentage, amount...)."""
    if number is None:
        return "—"
    if unit_kind == "percentage":
        return f"{format_number(number, 1)} %"
    if unit_kind == "amount":
        return f"{format_number(number, 0)} FCFA"
    if unit_kind == "milestone":
        return _("Yes") if Decimal(number) else _("No")
    return format_number(number)
