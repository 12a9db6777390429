"""django-tables2 tables of the list pages."""

import django_tables2 as tables
from django.template.defaultfilters import truncatechars
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from tracker.formatting import format_indicator_value
from tracker.models import IndicatorValue


class SubmittedValueTable(tables.Table):
    """The validation queue. Rows must come with their indicator, its responsible institutions
    and scale levels, the period and the person who entered them already fetched: a row then
    costs no query."""

    # The checkboxes belong to the "validate" form placed under the table; each row's return
    # form sits in its own cell, since HTML forms cannot nest.
    values = tables.CheckBoxColumn(
        accessor="pk",
        attrs={
            "td__input": {
                "form": "queue-validate",
                "class": "form-check-input",
                "aria-label": lambda record: _("Select %(value)s") % {"value": record},
            },
            "th__input": {
                "class": "form-check-input",
                "data-select-all": "values",
                "aria-label": _("Select all"),
            },
        },
    )
    indicator = tables.Column(verbose_name=_("Indicator"), order_by=("indicator__code",))
    institutions = tables.Column(
        accessor="indicator",
        verbose_name=_("Responsible"),
        orderable=False,
        empty_values=(),
    )
    period = tables.Column(verbose_name=_("Period"), order_by=("period__year", "period__quarter"))
    figure = tables.Column(
        accessor="value", verbose_name=_("Figure"), orderable=False, empty_values=()
    )
    entered_by = tables.Column(
        verbose_name=_("Entered by"), order_by=("entered_by__last_name", "entered_by__username")
    )
    submitted_at = tables.DateTimeColumn(
        verbose_name=_("Submitted at"), format="SHORT_DATETIME_FORMAT"
    )
    actions = tables.TemplateColumn(
        template_name="tracker/_queue_actions.html",
        verbose_name=_("Actions"),
        orderable=False,
        exclude_from_export=True,
    )

    class Meta:
        model = IndicatorValue
        fields = ()
        sequence = (
            "values",
            "indicator",
            "institutions",
            "period",
            "figure",
            "entered_by",
            "submitted_at",
            "actions",
        )
        order_by = ("period", "indicator")
        attrs = {"class": "table table-sm align-middle"}
        empty_text = _("No value is awaiting validation.")

    def render_indicator(self, value):
        return format_html("<strong>{}</strong> {}", value.code, truncatechars(value.name, 140))

    def render_institutions(self, record):
        return ", ".join(
            institution.short_name
            for institution in record.indicator.responsible_institutions.all()
        )

    def render_period(self, value):
        if value.is_open:
            return value.label
        return format_html(
            '{} <span class="badge text-bg-secondary">{}</span>', value.label, _("closed")
        )

    def render_figure(self, record):
        return format_indicator_value(record.indicator, record)

    def render_entered_by(self, value):
        return value.get_full_name() or value.username
