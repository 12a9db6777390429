"""django-tables2 tables of the list pages."""

import django_tables2 as tables
from django.middleware.csrf import get_token
from django.template.defaultfilters import truncatechars
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from tracker import access
from tracker.formatting import (
    describe_changes,
    format_annual,
    format_indicator_value,
    format_share,
)
from tracker.models import IndicatorValue
from tracker.progress import Status as IndicatorStatus


class ReviewCheckBoxColumn(tables.CheckBoxColumn):
    """A tick carries the version the secretariat sees ("id:version"): a value changed since
    is refused. No tick on a value the viewer entered or submitted (four eyes)."""

    def render(self, value, bound_column, record, table):
        if access.own_part_in(table.request.user, record):
            return ""
        return super().render(f"{record.pk}:{record.version}", bound_column, record)


class SubmittedValueTable(tables.Table):
    """The validation queue. Rows must come with their indicator, its responsible institutions
    and scale levels, the period and the person who entered them already fetched: a row then
    costs no query."""

    # The checkboxes belong to the "validate" form placed under the table; each row's return
    # form sits in its own cell, since HTML forms cannot nest.
    values = ReviewCheckBoxColumn(
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
    # A plain column: django-tables2's DateTimeColumn compiles a template for every row.
    submitted_at = tables.Column(verbose_name=_("Submitted at"))
    actions = tables.Column(
        accessor="pk",
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

    def render_submitted_at(self, value):
        return date_format(localtime(value), "SHORT_DATETIME_FORMAT")

    def render_entered_by(self, value):
        return value.get_full_name() or value.username

    # Built in Python rather than with a template per row: a template rendered 50 times was
    # most of the queue's time.
    ACTIONS_HTML = (
        '<a href="{history}">{history_label}</a>'
        '<details class="mt-1"><summary class="text-danger">{return_label}</summary>'
        '<form method="post" action="{action}" class="mt-1">'
        '<input type="hidden" name="csrfmiddlewaretoken" value="{csrf}">'
        '<input type="hidden" name="value" value="{pk}">'
        '<input type="hidden" name="version" value="{version}">'
        '<label class="form-label small" for="reason-{pk}">{why_label}</label>'
        '<textarea class="form-control form-control-sm" id="reason-{pk}" name="reason"'
        ' rows="2" required></textarea>'
        '<button type="submit" name="action" value="return"'
        ' class="btn btn-sm btn-outline-danger mt-1">{button_label}</button>'
        "</form></details>"
    )

    def render_actions(self, value, record):
        own_part = access.own_part_in(self.request.user, record)
        if own_part:
            return format_html(
                '<a href="{}">{}</a><p class="small text-body-secondary mt-1 mb-0">{}</p>',
                reverse("value-history", args=[self.request.resolver_match.kwargs["slug"], value]),
                _("History"),
                own_part,
            )
        return format_html(
            self.ACTIONS_HTML,
            history=reverse(
                "value-history", args=[self.request.resolver_match.kwargs["slug"], value]
            ),
            history_label=_("History"),
            return_label=_("Return…"),
            action=self.request.get_full_path(),
            csrf=get_token(self.request),
            pk=value,
            version=record.version,
            why_label=_("Why is it returned? The institution will read this."),
            button_label=_("Return for correction"),
        )


class IndicatorYearTable(tables.Table):
    """The indicator table: one row per IndicatorYear (tracker.figures), so its figures are
    the dashboard's and the report's."""

    code = tables.Column(accessor="indicator__code", verbose_name=_("Code"))
    name = tables.Column(accessor="indicator__name", verbose_name=_("Indicator"))
    axis = tables.Column(accessor="indicator__result__axis__number", verbose_name=_("Axis"))
    unit = tables.Column(accessor="indicator__unit_kind", verbose_name=_("Unit"), orderable=False)
    baseline = tables.Column(
        accessor="indicator__baseline_value", verbose_name=_("Baseline"), orderable=False
    )
    annual_target = tables.Column(verbose_name=_("Target"), orderable=False)
    annual_value = tables.Column(verbose_name=_("Value"), order_by=("sort_value",))
    status = tables.Column(verbose_name=_("Status"), order_by=("status_rank",))
    progress = tables.Column(
        verbose_name=_("Progress"), order_by=("sort_progress",), empty_values=()
    )

    class Meta:
        attrs = {"class": "table table-sm table-striped align-middle"}
        empty_text = _("No indicator matches these filters.")
        order_by = "code"

    def __init__(self, data, *, plan, year, **kwargs):
        super().__init__(data, **kwargs)
        self.plan, self.year = plan, year

    def render_code(self, value):
        url = reverse("indicator-detail", args=[self.plan.slug, value])
        return format_html('<a href="{}?year={}">{}</a>', url, self.year, value)

    def render_name(self, value):
        return truncatechars(value, 110)

    def render_unit(self, record):
        return record.indicator.get_unit_kind_display()

    def render_baseline(self, value, record):
        year = record.indicator.baseline_year
        text = format_annual(record.indicator, value)
        return f"{text} ({year})" if year else text

    def render_annual_target(self, value, record):
        return format_annual(record.indicator, value)

    def render_annual_value(self, value, record):
        return format_annual(record.indicator, value, record.annual_qualifier)

    def render_status(self, value):
        return format_html(
            '<span class="badge text-bg-{}"><span aria-hidden="true">{}</span> {}</span>',
            value.colour,
            value.icon,
            value.label,
        )

    def render_progress(self, value, record):
        if record.status == IndicatorStatus.NO_TARGET:
            # Nothing to progress towards: say how the figure moved instead.
            indicator = record.indicator
            described = describe_changes(
                indicator.unit_kind,
                year=record.year,
                baseline_year=indicator.baseline_year,
                **record.changes,
            )
            return described or "—"
        return format_share(value)  # "—" when there is nothing to measure
