"""Forms of the entry page: one form per indicator, shaped by its unit kind, and one per
activity. They check the figures; tracker.services stores them."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tracker import progress
from tracker.models import (
    ActivityProgress,
    Indicator,
    IndicatorValue,
    validate_breakdown,
    validate_figure,
)
from tracker.services import ValueInput

from .files import EvidenceField

UnitKind = Indicator.UnitKind


class FigureField(forms.DecimalField):
    """A number as people type it: "1 879", "1\u00a0879" or "12,5" in French."""

    def to_python(self, value):
        if isinstance(value, str):
            value = "".join(value.split())
        return super().to_python(value)


def plain_number(number):
    """A stored Decimal (12.0000) as the figure a person typed (12), so that a form sent back
    unchanged passes the whole-number check of counts and amounts."""
    if number is None:
        return None
    return Decimal(format(number.normalize(), "f"))


def number_field(label, decimal_places, required=False):
    return FigureField(
        label=label,
        required=required,
        min_value=Decimal(0),
        max_digits=20,
        decimal_places=decimal_places,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "text-end"}),
    )


class QualifierField(forms.TypedChoiceField):
    """Exact, or the bound the source gave ("over 874" is "at least"). Left out of a post, it
    is exact and unchanged."""

    def __init__(self, **kwargs):
        super().__init__(
            label=_("The figure is"),
            choices=progress.Qualifier.choices,
            required=False,
            empty_value=progress.Qualifier.EXACT,
            **kwargs,
        )

    def has_changed(self, initial, data):
        return (initial or progress.Qualifier.EXACT) != (data or progress.Qualifier.EXACT)


class IndicatorValueForm(forms.Form):
    """The figure of one indicator for one period, with its breakdown, narrative, source and
    evidence. `record` is the stored value (or None), whose version the form carries."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    narrative = forms.CharField(
        label=_("Narrative"),
        required=False,
        max_length=IndicatorValue._meta.get_field("narrative").max_length,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    source = forms.CharField(
        label=_("Source"),
        required=False,
        max_length=IndicatorValue._meta.get_field("source").max_length,
        widget=forms.Textarea(attrs={"rows": 1}),
    )
    evidence = EvidenceField(label=_("Evidence files"), required=False)

    def __init__(self, *args, indicator, record=None, locked=False, **kwargs):
        self.indicator = indicator
        self.missing_scale_levels = False
        self.record = record
        self.locked = locked
        initial = {"version": record.version if record else 0}
        if record:
            initial.update(narrative=record.narrative, source=record.source)
        super().__init__(*args, initial=initial, **kwargs)
        self._add_figure_fields(record)
        self.cells = self._add_breakdown_fields(record)
        if locked:
            for name, field in self.fields.items():
                if name != "version":
                    field.disabled = True

    @property
    def figure_fields(self):
        return [
            self[name]
            for name in ("value", "numerator", "denominator", "qualifier")
            if name in self.fields
        ]

    @property
    def grid(self):
        """[(row category, [bound cell field for each column])] for the breakdown table."""
        by_row = {}
        for cell in self.cells:
            by_row.setdefault(cell["row"], []).append(self[cell["name"]])
        return list(by_row.items())

    def _add_figure_fields(self, record):
        kind = self.indicator.unit_kind
        if kind in (UnitKind.COUNT, UnitKind.AMOUNT, UnitKind.PERCENTAGE):
            self.fields["qualifier"] = QualifierField()
            self.initial["qualifier"] = record.qualifier if record else progress.Qualifier.EXACT
        if kind == UnitKind.PERCENTAGE:
            self.fields["numerator"] = number_field(_("Numerator"), 4)
            self.fields["denominator"] = number_field(_("Denominator"), 4)
            if record:
                self.initial.update(
                    numerator=plain_number(record.numerator),
                    denominator=plain_number(record.denominator),
                )
            return
        if kind == UnitKind.MILESTONE:
            field = forms.TypedChoiceField(
                label=_("Reached"),
                required=False,
                coerce=Decimal,
                empty_value=None,
                choices=[("", "—"), ("1", _("Yes")), ("0", _("No"))],
            )
        elif kind == UnitKind.SCALE:
            levels = list(self.indicator.scale_levels.all())
            if not levels:
                # A level can only be one of the indicator's own (validate_figure), and a value
                # without a figure is refused: with no levels nothing can be reported, so the
                # page says why instead of offering an empty list.
                self.missing_scale_levels = True
                for name in ("narrative", "source", "evidence"):
                    self.fields[name].disabled = True
                return
            field = forms.TypedChoiceField(
                label=_("Level"),
                required=False,
                coerce=Decimal,
                empty_value=None,
                choices=[("", "—")]
                + [(str(level.value), f"{level.value} – {level.name}") for level in levels],
            )
        else:
            places = 0 if kind in (UnitKind.COUNT, UnitKind.AMOUNT, UnitKind.RANK) else 4
            label = {UnitKind.AMOUNT: _("Amount (FCFA)"), UnitKind.RANK: _("Rank")}.get(
                kind, _("Value")
            )
            field = number_field(label, places)
        self.fields["value"] = field
        if record and record.value is not None:
            self.initial["value"] = (
                str(int(record.value))
                if kind in (UnitKind.MILESTONE, UnitKind.SCALE)
                else plain_number(record.value)
            )

    def _add_breakdown_fields(self, record):
        """A grid of cells for summed counts and amounts disaggregated by one or two
        dimensions (women/men × region); the cells must add up to the total."""
        if self.indicator.unit_kind not in (UnitKind.COUNT, UnitKind.AMOUNT):
            return []
        dimensions = list(self.indicator.dimensions.all())[:2]
        if not dimensions:
            return []
        rows = list(dimensions[0].values.all())
        columns = list(dimensions[1].values.all()) if len(dimensions) > 1 else [None]
        stored = (
            {
                (row.category_id, row.cross_category_id): row.value
                for row in record.breakdown_rows.all()
            }
            if record
            else {}
        )
        cells = []
        for row in rows:
            for column in columns:
                key = (row.pk, column.pk if column else None)
                name = f"cell_{key[0]}_{key[1] or 'x'}"
                label = f"{row.name} × {column.name}" if column else row.name
                self.fields[name] = number_field(label, 0)
                if key in stored:
                    self.initial[name] = plain_number(stored[key])
                cells.append({"key": key, "name": name, "row": row, "column": column})
        self.grid_columns = columns
        return cells

    def has_figure(self):
        if self.indicator.unit_kind == UnitKind.PERCENTAGE:
            return (
                self.cleaned_data.get("numerator") is not None
                or self.cleaned_data.get("denominator") is not None
            )
        return self.cleaned_data.get("value") is not None

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if not self.has_changed():
            return data
        if not self.has_figure():
            raise ValidationError(_("Enter the figure for this period."), code="no_figure")
        errors = validate_figure(
            self.indicator, data.get("value"), data.get("numerator"), data.get("denominator")
        )
        for field, message in errors.items():
            self.add_error(field if field in self.fields else None, message)
        self._check_breakdown(data)
        return data

    def _check_breakdown(self, data):
        cells = {cell["key"]: data.get(cell["name"]) for cell in self.cells}
        if not any(amount is not None for amount in cells.values()):
            return
        for message in validate_breakdown(self.indicator, data.get("value"), cells):
            self.add_error(None, ValidationError(message, code="breakdown"))

    def value_input(self):
        data = self.cleaned_data
        breakdown = None
        if self.cells:
            # Only the cells typed: an empty cell is unknown ("—"), never a zero.
            breakdown = {
                cell["key"]: data[cell["name"]]
                for cell in self.cells
                if data.get(cell["name"]) is not None
            }
        return ValueInput(
            value=data.get("value"),
            numerator=data.get("numerator"),
            denominator=data.get("denominator"),
            qualifier=data.get("qualifier") or progress.Qualifier.EXACT,
            narrative=data.get("narrative", ""),
            source=data.get("source", ""),
            breakdown=breakdown,
            evidence=tuple(data.get("evidence") or ()),
        )


class ActivityProgressForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    class Meta:
        model = ActivityProgress
        fields = ["status", "percent_complete", "amount_spent", "narrative"]
        widgets = {"narrative": forms.Textarea(attrs={"rows": 2})}
        localized_fields = ["amount_spent"]

    def __init__(self, *args, activity, **kwargs):
        self.activity = activity
        instance = kwargs.get("instance")
        kwargs.setdefault("initial", {})["version"] = instance.version if instance else 0
        super().__init__(*args, **kwargs)
        self.fields["percent_complete"].widget.attrs.update(min=0, max=100)
        self.fields["status"].required = False

    def clean(self):
        data = super().clean()
        if self.has_changed() and not data.get("status"):
            self.add_error("status", _("Choose the activity's status."))
        if (
            data.get("status") == ActivityProgress.Status.COMPLETED
            and data.get("percent_complete") != 100
        ):
            # xgettext:no-python-format
            self.add_error("percent_complete", _("A completed activity is 100 % complete."))
        percent = data.get("percent_complete")
        if percent is not None and percent > 100:
            self.add_error("percent_complete", _("A percentage cannot exceed 100."))
        return data

    def progress_fields(self):
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}
