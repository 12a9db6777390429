"""The committee meeting form and its attendance lines."""

from pathlib import Path

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tracker.models import CommitteeMeeting, Institution
from tracker.services import AttendanceInput

from .files import check_evidence_file

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


class MeetingEntry:
    """The meeting form and its attendance lines, checked together against the meeting's rules
    (CommitteeMeeting.check_record), so that every mistake shows on the page at once."""

    def __init__(self, data=None, files=None, *, period):
        self.period = period
        # Institutions are read once for the whole formset, not once per line.
        self.institutions = {
            institution.pk: institution for institution in Institution.objects.all()
        }
        choices = [(pk, str(institution)) for pk, institution in self.institutions.items()]
        self.form = MeetingForm(data, files, prefix="meeting")
        self.formset = AttendanceFormSet(
            data, prefix="attendance", form_kwargs={"institution_choices": choices}
        )

    def attendance(self):
        return [
            AttendanceInput(
                institution=self.institutions[line.cleaned_data["institution"]],
                women_present=line.cleaned_data.get("women_present") or 0,
                men_present=line.cleaned_data.get("men_present") or 0,
            )
            for line in self.formset
            if line.cleaned_data.get("institution")
        ]

    def is_valid(self):
        if not (self.form.is_valid() and self.formset.is_valid()):
            return False
        try:
            CommitteeMeeting.check_record(
                period=self.period,
                date=self.form.cleaned_data["date"],
                place=self.form.cleaned_data["place"],
                attendance=self.attendance(),
            )
        except ValidationError as error:
            self.form.add_error(None, error)
            return False
        return True

    def meeting(self):
        """What services.record_meeting takes, once the entry is valid."""
        data = self.form.cleaned_data
        return {
            "date": data["date"],
            "place": data["place"],
            "decisions": data["decisions"],
            "minutes": data.get("minutes") or None,
            "attendance": self.attendance(),
        }
