"""The rules a reported figure meets on every path (entry form, service, admin, import): what
its unit allows, how many digits the database keeps, and how a breakdown adds up to it."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import DecimalValidator
from django.utils.translation import gettext_lazy as _

from tracker.formatting import format_number

from .indicators import Indicator

# What a figure column holds (DecimalField(max_digits=20, decimal_places=4)); SQLite would
# store more without a word, and the pages could not show it.
FIGURE_DIGITS = DecimalValidator(max_digits=20, decimal_places=4)
FIGURE_LIMIT = Decimal(10) ** 16


def _digit_errors(figures):
    errors = {}
    for name, number in figures.items():
        if number is None:
            continue
        try:
            FIGURE_DIGITS(number)
        except ValidationError as error:
            errors[name] = error.messages[0]
    return errors


def validate_figure(indicator, value, numerator, denominator):
    """{field: message} for a figure that does not fit the indicator's unit kind."""
    kind = Indicator.UnitKind
    errors = _digit_errors({"value": value, "numerator": numerator, "denominator": denominator})
    if errors:
        return errors
    if (numerator is None) != (denominator is None):
        errors["denominator"] = _("Give both the numerator and the denominator.")
    elif denominator is not None:
        if indicator.unit_kind != kind.PERCENTAGE:
            errors["numerator"] = _("Only percentages have a numerator and a denominator.")
        elif denominator <= 0:
            errors["denominator"] = _("The denominator must be above zero.")
        elif numerator > denominator:
            errors["numerator"] = _("The numerator cannot exceed the denominator.")
        return errors
    if value is None:
        return errors
    if value < 0:
        errors["value"] = _("A value cannot be negative.")
    elif indicator.unit_kind == kind.PERCENTAGE and value > 100:
        errors["value"] = _("A percentage cannot exceed 100.")
    elif indicator.unit_kind in (kind.COUNT, kind.AMOUNT) and value != value.to_integral_value():
        errors["value"] = _("Counts and FCFA amounts are whole numbers.")
    elif indicator.unit_kind == kind.RANK and (value < 1 or value != value.to_integral_value()):
        errors["value"] = _("A rank is a whole number from 1 (first).")
    elif indicator.unit_kind == kind.MILESTONE and value not in (0, 1):
        errors["value"] = _("A milestone is 1 (reached) or 0 (not reached).")
    elif (
        indicator.unit_kind == kind.SCALE
        and not indicator.scale_levels.filter(value=value).exists()
    ):
        errors["value"] = _("Choose one of the indicator's scale levels.")
    return errors


def validate_breakdown(indicator, total, cells):
    """[message] for breakdown cells ({(category id, crossed category id or None): amount})
    that do not fit the indicator: categories of its own dimensions, whole non-negative
    amounts that add up to the total (DESIGN.md §3). Uses the indicator's prefetched
    dimensions and values where the page has them."""
    if not cells:
        return []
    if indicator.unit_kind not in (Indicator.UnitKind.COUNT, Indicator.UnitKind.AMOUNT):
        return [_("Only counts and FCFA amounts are broken down.")]
    allowed = {
        category.pk
        for dimension in indicator.dimensions.all()
        for category in dimension.values.all()
    }
    messages = []
    if any(
        category not in allowed or (crossed is not None and crossed not in allowed)
        for category, crossed in cells
    ):
        messages.append(_("The breakdown names a category this indicator is not broken down by."))
    amounts = [amount for amount in cells.values() if amount is not None]
    digit_errors = _digit_errors(dict(enumerate(amounts)))
    if digit_errors:
        return messages + list(digit_errors.values())[:1]
    if any(amount < 0 or amount != amount.to_integral_value() for amount in amounts):
        messages.append(_("Breakdown cells are whole numbers, zero or more."))
    cells_sum = sum(amounts, Decimal(0))
    if total is not None and cells_sum != total:
        difference = cells_sum - total
        messages.append(
            _(
                "The breakdown adds up to %(sum)s but the total is %(total)s (%(diff)s). "
                "Correct the cells or the total."
            )
            % {
                "sum": format_number(cells_sum),
                "total": format_number(total),
                "diff": ("+" if difference > 0 else "") + format_number(difference),
            }
        )
    return messages
