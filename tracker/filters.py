"""django-filter filter sets of the list pages. Each is built for one plan, so that its choices
offer only that plan's institutions, axes and periods."""

import django_filters
from django.utils.translation import gettext_lazy as _

from tracker.models import Axis, IndicatorValue, Institution, ReportingPeriod


class SubmittedValueFilter(django_filters.FilterSet):
    """Filters of the validation queue."""

    institution = django_filters.ModelChoiceFilter(
        field_name="indicator__responsible_institutions",
        label=_("Institution"),
        empty_label=_("All institutions"),
        queryset=Institution.objects.none(),
    )
    axis = django_filters.ModelChoiceFilter(
        field_name="indicator__result__axis",
        label=_("Axis"),
        empty_label=_("All axes"),
        queryset=Axis.objects.none(),
    )
    period = django_filters.ModelChoiceFilter(
        label=_("Period"),
        empty_label=_("All periods"),
        queryset=ReportingPeriod.objects.none(),
    )

    class Meta:
        model = IndicatorValue
        fields = ["institution", "axis", "period"]

    def __init__(self, data=None, queryset=None, *, plan, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.filters["institution"].queryset = Institution.objects.filter(
            indicators__plan=plan
        ).distinct()
        self.filters["axis"].queryset = Axis.objects.filter(plan=plan)
        self.filters["period"].queryset = ReportingPeriod.objects.filter(plan=plan)
