"""django-tables2 tables of the list pages."""

import django_tables2 as tables
from django.middleware.csrf import get_token
from django.template.defaultfilters import truncatechars
from django.utils import dateformat
from django.utils.formats import get_format
from django.utils.functional import cached_property
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django_tables2.utils import AttributeDict

from tracker import access, progress
from tracker.formatting import (
    QUARTER_LABELS,
    describe_changes,
    format_annual,
    format_indicator_value,
    format_share,
)
from tracker.models import Indicator, IndicatorValue
from tracker.progress import Status as IndicatorStatus
from tracker.reports.labels import qualifier_label
from tracker.reports.tabular import Percent
from tracker.table_cells import RowLinks, Table, call_with_parameters
from tracker.templatetags.tracker_tags import status_badge


class ReviewCheckBoxColumn(tables.CheckBoxColumn):
    """A tick carries the version the secretariat sees ("id:version"): a value changed since
    is refused. No tick on a value the viewer entered or submitted (four eyes)."""

    def render(self, value, bound_column, record, table):
        if access.own_part_in(table.request.user, record):
            return ""
        # CheckBoxColumn.render's input, its label made here: as a callable attribute,
        # django-tables2 would inspect it for every row. The attributes that are the same on
        # every row are written once.
        return format_html(
            '<input type="checkbox" name="{}" value="{}:{}" {} aria-label="{}" />',
            bound_column.name,
            record.pk,
            record.version,
            self.input_attributes,
            _("Select %(value)s") % {"value": record},
        )

    @cached_property
    def input_attributes(self):
        return AttributeDict(self.attrs["td__input"]).as_html()


class SubmittedValueTable(Table):
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
    # Filled by the view for the page's rows (tracker.review.queue_warnings, one query).
    warning = tables.Column(
        accessor="pk",
        verbose_name=_("Check"),
        orderable=False,
        empty_values=(),
        exclude_from_export=True,
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
            "warning",
            "entered_by",
            "submitted_at",
            "actions",
        )
        order_by = ("period", "indicator")
        attrs = {"class": "table table-sm align-middle"}
        empty_text = _("No value is awaiting validation.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.warnings = {}  # {value id: outlier warning}, set by the view

    @cached_property
    def review_url(self):
        """Each row's review link, from one link reversed for the page."""
        return RowLinks("value-detail", self.request.resolver_match.kwargs["slug"])

    @cached_property
    def csrf_token(self):
        return get_token(self.request)  # once for every row's form, not once a row

    def render_indicator(self, value, record):
        return format_html(
            '<a href="{}"><strong>{}</strong></a> {}',
            self.review_url(record.pk),
            value.code,
            truncatechars(value.name, 140),
        )

    def render_warning(self, value):
        warning = self.warnings.get(value)
        if not warning:
            return ""
        return format_html(
            '<span class="badge text-bg-warning" data-outlier><span aria-hidden="true">⚠</span>'
            ' {}</span><div class="small">{}</div>',
            _("Unusual figure"),
            warning,
        )

    def render_institutions(self, record):
        return ", ".join(institution.short_name for institution in record.indicator.responsible)

    def render_period(self, value):
        if value.is_open:
            return value.label
        return format_html(
            '{} <span class="badge text-bg-secondary">{}</span>', value.label, _("closed")
        )

    def render_figure(self, record):
        return format_indicator_value(record.indicator, record)

    @cached_property
    def submitted_at_format(self):
        return get_format("SHORT_DATETIME_FORMAT")  # date_format's, read once for the rows

    def render_submitted_at(self, value):
        return dateformat.format(localtime(value), self.submitted_at_format)

    def render_entered_by(self, value):
        return value.get_full_name() or value.username

    # Built in Python rather than with a template per row: a template rendered 50 times was
    # most of the queue's time.
    ACTIONS_HTML = (
        '<a href="{review}">{review_label}</a>'
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

    @cached_property
    def return_form_parts(self):
        """What every row's return form says alike, translated and escaped once for the
        page; each row adds its link, id and version."""
        parts = {
            "review_label": _("Review"),
            "return_label": _("Return…"),
            "action": self.request.get_full_path(),
            "csrf": self.csrf_token,
            "why_label": _("Why is it returned? The institution will read this."),
            "button_label": _("Return for correction"),
        }
        return {name: conditional_escape(text) for name, text in parts.items()}

    def render_actions(self, value, record):
        own_part = access.own_part_in(self.request.user, record)
        if own_part:
            return format_html(
                '<a href="{}">{}</a><p class="small text-body-secondary mt-1 mb-0">{}</p>',
                self.review_url(value),
                self.return_form_parts["review_label"],
                own_part,
            )
        # format_html's escaping, of the row's own parts only.
        return mark_safe(
            self.ACTIONS_HTML.format(
                review=conditional_escape(self.review_url(value)),
                pk=conditional_escape(value),
                version=conditional_escape(record.version),
                **self.return_form_parts,
            )
        )


class ExportColumn(tables.Column):
    """A column of the indicator table's exports only: the page leaves it out, the CSV and
    XLSX files carry it."""

    def __init__(self, verbose_name, **kwargs):
        super().__init__(verbose_name=verbose_name, visible=False, orderable=False, **kwargs)

    def value(self, **kwargs):
        return call_with_parameters(self.render, kwargs)  # Column.value, without inspecting


def export_cell(indicator, number):
    """A figure as a spreadsheet cell: percentages as Percent, so the XLSX shows "12.5 %"."""
    if number is not None and indicator.unit_kind == indicator.UnitKind.PERCENTAGE:
        return Percent(number)
    return number


class IndicatorYearTable(Table):
    """The indicator table: one row per IndicatorYear (tracker.figures), so its figures are
    the dashboard's and the report's. It is also the one definition of the CSV and XLSX
    exports' columns (export_rows): the page shows the visible columns as HTML (render_*),
    the files every column as plain values (value_*)."""

    code = tables.Column(accessor="indicator__code", verbose_name=_("Code"))
    name = tables.Column(accessor="indicator__name", verbose_name=_("Indicator"))
    axis = tables.Column(accessor="indicator__result__axis__number", verbose_name=_("Axis"))
    result = ExportColumn(_("Result"), accessor="indicator__result__code")
    unit = tables.Column(accessor="indicator__unit_kind", verbose_name=_("Unit"), orderable=False)
    baseline = tables.Column(
        accessor="indicator__baseline_value", verbose_name=_("Baseline"), orderable=False
    )
    baseline_year = ExportColumn(_("Baseline year"), accessor="indicator__baseline_year")
    annual_target = tables.Column(verbose_name=_("Target"), orderable=False)
    q1, q2, q3, q4 = (
        ExportColumn(label, accessor=f"quarter_list__{index}__value")
        for index, label in enumerate(QUARTER_LABELS)
    )
    annual_value = tables.Column(verbose_name=_("Value"), order_by=("sort_value",))
    qualifier = ExportColumn(_("Qualifier"), accessor="annual_qualifier", empty_values=())
    basis = ExportColumn(_("Basis of the annual value"), empty_values=())
    status = tables.Column(verbose_name=_("Status"), order_by=("status_rank",))
    progress = tables.Column(
        verbose_name=_("Progress"), order_by=("sort_progress",), empty_values=()
    )
    # Percentage changes are in points, a plain number.
    change_from_previous = ExportColumn(
        _("Change on the previous year"), accessor="change_from_previous__difference"
    )
    change_from_baseline = ExportColumn(
        _("Change on the baseline"), accessor="change_from_baseline__difference"
    )

    class Meta:
        attrs = {"class": "table table-sm table-striped align-middle"}
        empty_text = _("No indicator matches these filters.")
        order_by = "code"

    # Column widths of the XLSX sheet, in characters.
    EXPORT_WIDTHS = {
        "name": 60,
        "axis": 6,
        "result": 8,
        "unit": 14,
        "qualifier": 12,
        "basis": 12,
        "status": 12,
        "change_from_previous": 14,
        "change_from_baseline": 14,
    }

    def __init__(self, data, *, plan, year, **kwargs):
        super().__init__(data, **kwargs)
        self.plan, self.year = plan, year
        # The files name the year in the headers; a file read on its own must say it.
        self.columns["annual_target"].column.verbose_name = _("Target %(year)s") % {"year": year}
        self.columns["annual_value"].column.verbose_name = _("Value %(year)s") % {"year": year}

    def export_rows(self):
        """(headers, rows, widths) of every column, every row (not one page), as plain values
        for tracker.reports.tabular's writers, which neutralise them."""
        columns = list(self.columns.iterall())
        headers = [str(column.header) for column in columns]
        rows = [[row.get_cell_value(column.name) for column in columns] for row in self.rows]
        widths = [self.EXPORT_WIDTHS.get(column.name, 10) for column in columns]
        return headers, rows, widths

    @cached_property
    def indicator_url(self):
        """Each row's indicator page, from one link reversed for the page."""
        return RowLinks("indicator-detail", self.plan.slug)

    def render_code(self, value):
        return format_html(
            '<a href="{}?year={}">{}</a>', self.indicator_url(value), self.year, value
        )

    def value_code(self, value):
        return value

    def render_name(self, value):
        return truncatechars(value, 110)

    def value_name(self, value):
        return value

    def value_axis(self, value):
        return value

    def value_baseline_year(self, value):
        return value

    @cached_property
    def unit_names(self):
        """Each unit kind's name in the reader's language, read once for the table's rows."""
        return {kind: str(name) for kind, name in Indicator.UnitKind.choices}

    def render_unit(self, record):
        kind = record.indicator.unit_kind
        return self.unit_names.get(kind, kind)

    value_unit = render_unit

    def render_baseline(self, value, record):
        year = record.indicator.baseline_year
        text = format_annual(record.indicator, value)
        return f"{text} ({year})" if year else text

    def value_baseline(self, value, record):
        return export_cell(record.indicator, value)

    def render_annual_target(self, value, record):
        return format_annual(record.indicator, value)

    def value_annual_target(self, value, record):
        return export_cell(record.indicator, value)

    def value_q1(self, value, record):
        return export_cell(record.indicator, value)

    value_q2 = value_q3 = value_q4 = value_q1

    def render_annual_value(self, value, record):
        return format_annual(record.indicator, value, record.annual_qualifier)

    def value_annual_value(self, value, record):
        return export_cell(record.indicator, value)

    def value_qualifier(self, value):
        return qualifier_label(value)

    def value_basis(self, record):
        return str(record.basis.label) if record.annual_value is not None else None

    def render_status(self, value):
        return status_badge(value)

    def value_status(self, value):
        return value.label

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

    def value_progress(self, value):
        return Percent(progress.share_as_points(value)) if value is not None else None

    def value_change_from_previous(self, value):
        return value

    value_change_from_baseline = value_change_from_previous
