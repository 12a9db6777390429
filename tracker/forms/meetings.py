"""The committee meeting form and its attendance lines."""

from pathlib import Path

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from tracker.models import CommitteeMeeting, Institution
from tracker.services import AttendanceInput

from .files import check_evidence_file

MINUTES_EXTENSIONS = {".pdf", ".doc", ".docx", ".odt", ".xls", ".xlsx", ".ods", ".ppt", ".pptx"}
# Lines shown on a new meeting form; "Add a line" adds more (with or without JavaScript).
ATTENDANCE_ROWS = 3
MAX_ATTENDANCE_ROWS = 200
# The submit buttons that redraw the form with a line more or fewer, storing nothing.
ADD_LINE = "attendance-add"
REMOVE_LINE = "attendance-remove"
LINE_FIELDS = ("institution", "women_present", "men_present")


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


AttendanceFormSet = forms.formset_factory(
    AttendanceForm, extra=ATTENDANCE_ROWS, max_num=MAX_ATTENDANCE_ROWS
)


def _posted_lines(data):
    """The attendance lines as posted, {field: text} each, at most MAX_ATTENDANCE_ROWS."""
    try:
        count = int(data.get("attendance-TOTAL_FORMS") or 0)
    except ValueError:
        count = 0
    return [
        {name: data.get(f"attendance-{number}-{name}", "") for name in LINE_FIELDS}
        for number in range(max(0, min(count, MAX_ATTENDANCE_ROWS)))
    ]


MEETING_FIELDS = ("date", "place", "decisions")


def _redrawn_lines(data):
    lines = _posted_lines(data)
    if ADD_LINE in data:
        return [*lines, {}][:MAX_ATTENDANCE_ROWS]
    removed = data.get(REMOVE_LINE, "")
    if removed.isdigit() and int(removed) < len(lines):
        del lines[int(removed)]
    return lines


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
        line_kwargs = {"institution_choices": choices}
        # "Add a line" or "Remove" without JavaScript: the same form again, as typed, with one
        # line more or fewer; nothing is checked or stored.
        self.redrawn = data is not None and (ADD_LINE in data or REMOVE_LINE in data)
        self.minutes_dropped = self.redrawn and bool(files and files.get("meeting-minutes"))
        if self.redrawn:
            self.form = MeetingForm(
                prefix="meeting",
                initial={name: data.get(f"meeting-{name}", "") for name in MEETING_FIELDS},
            )
            self.formset = AttendanceFormSet(
                prefix="attendance", initial=_redrawn_lines(data), form_kwargs=line_kwargs
            )
            self.formset.extra = 0
        else:
            self.form = MeetingForm(data, files, prefix="meeting")
            self.formset = AttendanceFormSet(data, prefix="attendance", form_kwargs=line_kwargs)
        last_day = CommitteeMeeting.last_day_for(period)
        self.form.fields["date"].help_text = _("From %(start)s to %(last)s.") % {
            "start": date_format(period.start_date, "SHORT_DATE_FORMAT"),
            "last": date_format(last_day, "SHORT_DATE_FORMAT"),
        }

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
