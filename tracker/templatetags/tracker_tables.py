"""The list pages' table template (templates/tracker/_table.html)."""

from django import template

from tracker.table_cells import table_body

register = template.Library()


@register.simple_tag(takes_context=True)
def table_rows(context, table):
    """The table's tbody, as django_tables2/bootstrap5.html writes it."""
    return table_body(table, context)
