from decimal import Decimal

from django import template
from django.utils.formats import get_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from tracker import progress
from tracker.formatting import (
    colon,
    format_annual,
    format_indicator_value,
    format_number,
    format_percent,
    format_share,
    percent_sign,
)
from tracker.forms.renderers import template_text

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
    return format_share(share)


@register.filter
def percent_number(share):
    """A share as a plain number for HTML attributes (never localised), rounded like the text
    beside it: 0.28571 → 28.6."""
    if share is None:
        return "0"
    return str(progress.rounded(progress.share_as_points(share), progress.PERCENT_PLACES))


@register.filter
def share_of(part, whole):
    """part ÷ whole as a percentage (spent of planned): 28.6 %."""
    if not part or not whole:
        return "—"
    return format_percent(progress.percentage(part, whole))


@register.filter
def annual(number, indicator):
    """An annual value in the indicator's unit."""
    return format_annual(indicator, number)


@register.filter
def year_value(figure):
    """An IndicatorYear's value in its unit, with its bound ("≥ 874")."""
    return format_annual(figure.indicator, figure.annual_value, figure.annual_qualifier)


@register.filter
def points(number):
    """Percentage points (28.5714) as a percentage: 28.6 %; "—" for nothing (a variable the
    template could not resolve arrives as "")."""
    return format_percent(None if number == "" else number)


@register.simple_tag
def number_separators():
    """The active language's separators as data- attributes, for a script that formats numbers
    like format_number (the entry page's live preview)."""
    return format_html(
        'data-decimal-separator="{}" data-thousand-separator="{}" data-percent-sign="{}"',
        get_format("DECIMAL_SEPARATOR"),
        get_format("THOUSAND_SEPARATOR"),
        percent_sign(),
    )


@register.simple_tag(name="colon")
def colon_tag():
    """The colon after a translated label, as the active language writes it:
    {% translate "Download" %}{% colon %}."""
    return colon()


@register.simple_tag(name="percent_sign")
def percent_sign_tag():
    """The percent sign after a number written by a template, spaced for the language."""
    return percent_sign()


# Bootstrap's class for each kind of widget; any other is a form-control.
FIELD_CLASSES = {
    "select": "form-select",
    "selectmultiple": "form-select",
    "checkbox": "form-check-input",
}


def _field_parts(field):
    """The widget, its errors and its help text, as Bootstrap 5 marks them up."""
    kind = field.widget_type
    css = FIELD_CLASSES.get(kind, "form-control")
    own = field.field.widget.attrs.get("class")
    if own:
        css = f"{own} {css}"
    if field.errors:
        css += " is-invalid"
    widget = field.as_widget(attrs={"class": css})
    errors = ""
    if field.errors:
        errors = format_html(
            '<div id="{}_error" class="invalid-feedback">{}</div>',
            field.auto_id,
            format_html_join(
                "",
                '<p id="error_{}_{}"><strong>{}</strong></p>',
                ((number, field.auto_id, error) for number, error in enumerate(field.errors, 1)),
            ),
        )
    help_text = ""
    if field.help_text:
        help_text = format_html(
            '<div id="{}_helptext" class="form-text">{}</div>', field.auto_id, field.help_text
        )
    return kind, widget, errors, help_text


@register.filter
def form_field(field):
    """A form's field in Bootstrap 5's markup: its label (marked when required), its widget,
    its errors under it (said to screen readers through aria-describedby) and its help text.
    Written here rather than by crispy-forms' templates, which took a third of the entry
    page's time; the list pages' filters are written the same way."""
    kind, widget, errors, help_text = _field_parts(field)
    if kind == "checkbox":
        return format_html(
            '<div class="mb-3"><div id="div_{}" class="form-check">{}'
            '<label for="{}" class="form-check-label">{}</label>{}{}</div></div>',
            field.auto_id,
            widget,
            field.id_for_label,
            field.label,
            errors,
            help_text,
        )
    required = field.field.required
    return format_html(
        '<div id="div_{}" class="mb-3"><label for="{}" class="form-label{}">{}{}</label>'
        "{}{}{}</div>",
        field.auto_id,
        field.id_for_label,
        " requiredField" if required else "",
        field.label,
        mark_safe('<span class="asteriskField">*</span>') if required else "",
        widget,
        errors,
        help_text,
    )


@register.simple_tag
def breakdown_cell(cell):
    """One cell of an entry form's breakdown grid (a bound field): a plain text input for a
    number, named by its row and column for screen readers. Written here rather than in the
    template: an entry page has a hundred of them."""
    value = cell.value()
    return format_html(
        '<input type="text" inputmode="decimal" class="form-control form-control-sm '
        'text-end{}" name="{}" id="{}" value="{}" aria-label="{}"{}>',
        " is-invalid" if cell.errors else "",
        cell.html_name,
        cell.auto_id,
        "" if value is None else template_text(value),
        cell.label,
        mark_safe(" disabled") if cell.field.disabled else "",
    )


@register.simple_tag
def status_badge(status):
    """A progress status (tracker.progress) as a badge in its colour, its icon hidden from
    screen readers, which read its label."""
    return format_html(
        '<span class="badge text-bg-{}"><span aria-hidden="true">{}</span> {}</span>',
        status.colour,
        status.icon,
        status.label,
    )
