"""Forms of the quarterly entry page: one form per indicator, shaped by its unit kind, and one
per activity. They check the figures; tracker.services stores them."""

from decimal import Decimal
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from tracker import progress
from tracker.models import (
    ActivityProgress,
    AnnualReport,
    CommitteeMeeting,
    Indicator,
    IndicatorValue,
)
from tracker.models.reporting import validate_breakdown, validate_figure
from tracker.services import ValueInput

UnitKind = Indicator.UnitKind

# Accepted evidence, by extension, with the first bytes each kind of file starts with, so that
# a renamed executable is not stored as "report.pdf".
ZIP = (b"PK\x03\x04",)
OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
EVIDENCE_SIGNATURES = {
    ".pdf": (b"%PDF-",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".docx": ZIP,
    ".xlsx": ZIP,
    ".pptx": ZIP,
    ".odt": ZIP,
    ".ods": ZIP,
    ".doc": OLE,
    ".xls": OLE,
    ".ppt": OLE,
}


def check_evidence_file(upload):
    extension = Path(upload.name).suffix.lower()
    if extension not in EVIDENCE_SIGNATURES:
        raise ValidationError(
            _(
                "%(name)s: this type of file is not accepted. Send a PDF, an image (PNG, JPEG) "
                "or an office document (Word, Excel, PowerPoint, OpenDocument)."
            )
            % {"name": upload.name},
            code="file_type",
        )
    if upload.size > settings.EVIDENCE_MAX_BYTES:
        raise ValidationError(
            _("%(name)s is %(size)s; the limit is %(limit)s. Compress it or split it.")
            % {
                "name": upload.name,
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(settings.EVIDENCE_MAX_BYTES),
            },
            code="file_size",
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not head.startswith(EVIDENCE_SIGNATURES[extension]):
        raise ValidationError(
            _("%(name)s does not look like a %(kind)s file; it may be damaged or renamed.")
            % {"name": upload.name, "kind": extension[1:].upper()},
            code="file_content",
        )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        uploads = data if isinstance(data, list | tuple) else [data] if data else []
        cleaned = [super(EvidenceField, self).clean(upload, initial) for upload in uploads]
        for upload in cleaned:
            check_evidence_file(upload)
        return cleaned

    def has_changed(self, initial, data):
        return not self.disabled and bool(data)


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


# Committee meetings

MINUTES_EXTENSIONS = {".pdf", ".doc", ".docx", ".odt", ".xls", ".xlsx", ".ods", ".ppt", ".pptx"}
ATTENDANCE_ROWS = 8


class MeetingForm(forms.ModelForm):
    class Meta:
        model = CommitteeMeeting
        fields = ["date", "place", "decisions", "minutes"]
        widgets = {
            "date": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
            "decisions": forms.Textarea(attrs={"rows": 4}),
        }

    def clean_minutes(self):
        upload = self.cleaned_data.get("minutes")
        if upload:
            if Path(upload.name).suffix.lower() not in MINUTES_EXTENSIONS:
                raise ValidationError(
                    _(
                        "%(name)s: send the minutes as a PDF or an office document (Word, "
                        "Excel, PowerPoint, OpenDocument)."
                    )
                    % {"name": upload.name}
                )
            check_evidence_file(upload)
        return upload


def _count_field(label):
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=10_000,
        error_messages={"min_value": _("A number of people cannot be negative.")},
        widget=forms.NumberInput(attrs={"min": 0}),
    )


class AttendanceForm(forms.Form):
    institution = forms.TypedChoiceField(
        label=_("Institution"), coerce=int, required=False, empty_value=None
    )
    women_present = _count_field(_("Women present"))
    men_present = _count_field(_("Men present"))

    def __init__(self, *args, institution_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Choices are read once for the whole formset, not once per line.
        self.fields["institution"].choices = [("", "—"), *institution_choices]
        # Shown as a table row under column headers, so the labels go to screen readers only.
        for name, field in self.fields.items():
            css = "form-select" if name == "institution" else "form-control text-end"
            field.widget.attrs.update({"class": css, "aria-label": field.label})

    def clean(self):
        data = super().clean()
        counted = data.get("women_present") is not None or data.get("men_present") is not None
        if counted and not data.get("institution"):
            self.add_error("institution", _("Choose the institution these people came from."))
        return data


AttendanceFormSet = forms.formset_factory(AttendanceForm, extra=ATTENDANCE_ROWS, max_num=200)


# Annual report


class ReportNarrativeForm(forms.ModelForm):
    class Meta:
        model = AnnualReport
        fields = ["summary", "achievements", "challenges", "recommendations"]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in fields}
