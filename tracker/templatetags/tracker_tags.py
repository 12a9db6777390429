from decimal import Decimal

from django import template

from tracker.formatting import format_annual, format_indicator_value, format_number

register = template.Library()


@register.simple_tag
def indicator_figure(indicator, value):
    return format_indicator_value(indicator, value)


@register.filter
def figure(number):
    """A plain number in the reader's language: 4,000 / 4 000."""
    return format_number(number)


@register.filter
def fcfa(amount):
    """1 234 567 FCFA in French, 1,234,567 FCFA in English."""
    return "—" if amount is None else f"{format_number(Decimal(amount), 0)} FCFA"


@register.filter
def percent(share):
    """A share (0.4567) as a percentage: 45.7 %."""
    return "—" if share is None else f"{format_number(Decimal(share) * 100, 1)} %"


@register.filter
def percent_number(share):
    """A share as a plain number for HTML attributes (never localised)."""
    return "0" if share is None else str(int(Decimal(share) * 100))


@register.filter
def share_of(part, whole):
    if not part or not whole:
        return "—"
    return percent(Decimal(part) / Decimal(whole))


@register.filter
def annual(number, indicator):
    """An annual value in the indicator's unit."""
    return format_annual(indicator, number)
