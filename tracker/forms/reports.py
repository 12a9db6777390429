"""The annual report's narrative."""

from django import forms

from tracker.models import AnnualReport


class ReportNarrativeForm(forms.ModelForm):
    class Meta:
        model = AnnualReport
        fields = ["summary", "achievements", "challenges", "recommendations"]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in fields}
