"""django-filter filter sets of the list pages. Each is built for one plan, so that its choices
offer only that plan's institutions, axes and periods."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tracker import progress
from tracker.models import (
    AlignmentTag,
    Axis,
    Indicator,
    IndicatorValue,
    Institution,
    ReportingPeriod,
    Result,
)


class _OptionsInOneRead(forms.models.ModelChoiceIterator):
    """Django reads a select's options with QuerySet.iterator(), which on PostgreSQL opens a
    server-side cursor: four round trips (declare, fetch, fetch again, close) for a few dozen
    options, about half a millisecond a select. A plain read is one round trip."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for record in self.queryset.all():
            yield self.choice(record)


class _Options(django_filters.fields.ModelChoiceIterator, _OptionsInOneRead):
    """django-filter's options (with its "null" one) over the read above."""


class _RecordChoiceField(django_filters.fields.ModelChoiceField):
    iterator = _Options


class RecordChoiceFilter(django_filters.ModelChoiceFilter):
    """django-filter's ModelChoiceFilter, its options read in one round trip."""

    field_class = _RecordChoiceField


class SubmittedValueFilter(django_filters.FilterSet):
    """Filters of the validation queue."""

    institution = RecordChoiceFilter(
        field_name="indicator__responsible_institutions",
        label=_("Institution"),
        empty_label=_("All institutions"),
        queryset=Institution.objects.none(),
    )
    axis = RecordChoiceFilter(
        field_name="indicator__result__axis",
        label=_("Axis"),
        empty_label=_("All axes"),
        queryset=Axis.objects.none(),
    )
    period = RecordChoiceFilter(
        label=_("Period"),
        empty_label=_("All periods"),
        queryset=ReportingPeriod.objects.none(),
    )
    # Outlier warnings are computed, not stored: the view keeps the flagged rows
    # (tracker.review.queue_warnings) when this is ticked.
    warnings = django_filters.BooleanFilter(
        label=_("Only values with a warning"),
        widget=forms.CheckboxInput,
        method="keep_all",
    )

    class Meta:
        model = IndicatorValue
        fields = ["institution", "axis", "period", "warnings"]

    def __init__(self, data=None, queryset=None, *, plan, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.filters["institution"].queryset = Institution.objects.filter(
            indicators__plan=plan
        ).distinct()
        self.filters["axis"].queryset = Axis.objects.filter(plan=plan)
        self.filters["period"].queryset = ReportingPeriod.objects.filter(plan=plan)

    @property
    def warnings_only(self):
        return self.is_bound and self.form.is_valid() and bool(self.form.cleaned_data["warnings"])

    def keep_all(self, queryset, name, value):
        return queryset


class IndicatorFilter(django_filters.FilterSet):
    """Filters of the indicator table. Status is computed from the figures, not stored, so the
    view applies it after the year's figures are built."""

    q = django_filters.CharFilter(method="search", label=_("Search"))
    axis = RecordChoiceFilter(
        field_name="result__axis",
        label=_("Axis"),
        empty_label=_("All axes"),
        queryset=Axis.objects.none(),
    )
    result = RecordChoiceFilter(
        label=_("Result"), empty_label=_("All results"), queryset=Result.objects.none()
    )
    institution = RecordChoiceFilter(
        field_name="responsible_institutions",
        label=_("Institution"),
        empty_label=_("All institutions"),
        queryset=Institution.objects.none(),
    )
    unit_kind = django_filters.ChoiceFilter(
        choices=Indicator.UnitKind.choices, label=_("Unit kind"), empty_label=_("All units")
    )
    tag = RecordChoiceFilter(
        field_name="alignment_tags",
        label=_("Alignment"),
        empty_label=_("All alignments"),
        queryset=AlignmentTag.objects.none(),
    )
    status = django_filters.ChoiceFilter(
        choices=progress.Status.choices,
        label=_("Status"),
        empty_label=_("All statuses"),
        method="keep_all",
    )

    class Meta:
        model = Indicator
        fields = ["q", "axis", "result", "institution", "unit_kind", "tag", "status"]

    def __init__(self, data=None, queryset=None, *, plan, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.filters["axis"].queryset = Axis.objects.filter(plan=plan)
        self.filters["result"].queryset = Result.objects.filter(plan=plan)
        self.filters["institution"].queryset = Institution.objects.filter(
            indicators__plan=plan
        ).distinct()
        self.filters["tag"].queryset = AlignmentTag.objects.filter(indicators__plan=plan).distinct()

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(code__icontains=value) | Q(name__icontains=value) | Q(definition__icontains=value)
        )

    def keep_all(self, queryset, name, value):
        return queryset
