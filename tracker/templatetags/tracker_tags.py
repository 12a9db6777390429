from django import template

from tracker.formatting import format_indicator_value, format_number

register = template.Library()


@register.simple_tag
def indicator_figure(indicator, value):
    return format_indicator_value(indicator, value)


@register.filter
def figure(number):
    """A plain number in the reader's language: 4,000 / 4 000."""
    return format_number(number)
