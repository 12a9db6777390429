from django import template

from tracker.formatting import format_indicator_value

register = template.Library()


@register.simple_tag
def indicator_figure(indicator, value):
    return format_indicator_value(indicator, value)
