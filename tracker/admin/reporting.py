"""Reported data in the admin: periods, indicator values with their breakdowns and evidence,
activity progress, committee meetings, and the published annual reports with their files. Values
and progress are saved through the services, as on the entry pages, and no reported row is
reverted from its history here."""

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from tracker import services
from tracker.admin.base import TrackerAdmin, ViewOnly, ViewOnlyAdmin
from tracker.formatting import format_number
from tracker.models import (
    ActivityProgress,
    BreakdownRow,
    CommitteeMeeting,
    EvidenceFile,
    Indicator,
    IndicatorValue,
    MeetingAttendance,
    PublishedReport,
    PublishedReportFile,
    ReportingPeriod,
)


class BreakdownRowInlineFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        value = self.instance
        if value.value is None or value.indicator.aggregation != Indicator.Aggregation.SUM:
            return
        rows = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        single = [row["value"] for row in rows if not row.get("cross_category")]
        crossed = [row["value"] for row in rows if row.get("cross_category")]
        for cells in (single, crossed):
            if cells and sum(cells) != value.value:
                raise forms.ValidationError(
                    _("The breakdown adds up to %(sum)s but the total is %(total)s.")
                    % {"sum": format_number(sum(cells)), "total": format_number(value.value)}
                )


class BreakdownRowInline(admin.TabularInline):
    model = BreakdownRow
    formset = BreakdownRowInlineFormSet
    extra = 0
    fields = ["category", "cross_category", "value", "numerator", "denominator"]
    autocomplete_fields = ["category", "cross_category"]


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(TrackerAdmin):
    allow_revert = False
    list_display = ["label", "plan", "start_date", "end_date", "status", "closed_at"]
    list_filter = ["plan", "status", "year"]
    list_select_related = ["plan"]
    search_fields = ["plan__slug", "year"]
    # Periods are generated from the plan's years, never typed (DESIGN.md §2).
    readonly_fields = ["plan", "year", "quarter", "start_date", "end_date"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class IndicatorValueAdminForm(forms.ModelForm):
    """The secretariat's data entry in the admin: figures are checked by the model (unit kind,
    closed period), the version guards against overwriting a newer save, and changing a
    validated value asks for a reason."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    change_reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the value is already validated."),
    )

    class Meta:
        model = IndicatorValue
        fields = [
            "indicator",
            "period",
            "value",
            "numerator",
            "denominator",
            "qualifier",
            "narrative",
            "citation",
            "source",
            "note",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expected_version"].initial = self.instance.version if self.instance.pk else 0

    def clean(self):
        data = super().clean()
        if self.instance.pk:
            stored = IndicatorValue.objects.get(pk=self.instance.pk)
            if stored.version != (data.get("expected_version") or 0):
                raise forms.ValidationError(services.stale_version(record=stored).messages[0])
            if (
                stored.status == IndicatorValue.Status.VALIDATED
                and not data.get("change_reason", "").strip()
            ):
                self.add_error("change_reason", _("Changing a validated value needs a reason."))
        return data


@admin.register(IndicatorValue)
class IndicatorValueAdmin(TrackerAdmin):
    allow_revert = False
    form = IndicatorValueAdminForm
    list_display = ["indicator", "period", "value", "numerator", "denominator", "status"]
    list_filter = ["status", "period__plan", "period__year", "indicator__result__axis"]
    list_select_related = ["indicator", "period"]
    search_fields = ["indicator__code", "indicator__name", "source"]
    autocomplete_fields = ["indicator", "period", "citation"]
    readonly_fields = [
        "status",
        "return_reason",
        "version",
        "entered_by",
        "submitted_at",
        "validated_by",
        "validated_at",
    ]
    inlines = [BreakdownRowInline]
    # Values are validated in the queue, where the secretariat sees the figure and its version
    # and the four-eyes rule is shown; the admin only corrects them.

    def save_model(self, request, obj, form, change):
        # The same service as the entry page: permissions, open period, version, history.
        record = services.save_value(
            user=request.user,
            indicator=obj.indicator,
            period=obj.period,
            data=services.ValueInput(
                value=obj.value,
                numerator=obj.numerator,
                denominator=obj.denominator,
                qualifier=obj.qualifier,
                narrative=obj.narrative,
                source=obj.source,
                note=obj.note,
                citation=obj.citation,
            ),
            expected_version=form.cleaned_data.get("expected_version") or 0,
            reason=form.cleaned_data.get("change_reason", ""),
        )
        obj.pk = record.pk
        obj.version = record.version
        obj.status = record.status

    def has_delete_permission(self, request, obj=None):
        # Nothing is hard-deleted on the reporting side (DESIGN.md §2).
        return False


@admin.register(BreakdownRow)
class BreakdownRowAdmin(ViewOnlyAdmin):
    # Rows are edited with their value (the inline checks that they add up to the total).
    allow_revert = False
    list_display = ["indicator_value", "category", "cross_category", "value"]
    list_filter = ["category__dimension"]
    list_select_related = [
        "indicator_value__indicator",
        "indicator_value__period",
        "category__dimension",
        "cross_category__dimension",
    ]
    search_fields = ["indicator_value__indicator__code"]


@admin.register(ActivityProgress)
class ActivityProgressAdmin(TrackerAdmin):
    allow_revert = False
    list_display = ["activity", "period", "status", "percent_complete", "amount_spent"]
    list_filter = ["status", "period__plan", "period__year"]
    list_select_related = ["activity", "period"]
    search_fields = ["activity__code", "activity__title"]
    autocomplete_fields = ["activity", "period"]
    readonly_fields = ["version", "entered_by"]

    def save_model(self, request, obj, form, change):
        fields = {
            name: getattr(obj, name) for name in form.Meta.fields if name in form.cleaned_data
        }
        for name in ("activity", "period"):
            fields.pop(name, None)
        record = services.save_activity_progress(
            user=request.user,
            activity=obj.activity,
            period=obj.period,
            fields=fields,
            expected_version=obj.version if change else 0,
        )
        obj.pk, obj.version = record.pk, record.version

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(EvidenceFile)
class EvidenceFileAdmin(ViewOnlyAdmin):
    # Evidence is attached on the entry page, where its type and size are checked.
    allow_revert = False
    list_display = ["original_name", "indicator_value", "size", "uploaded_by", "uploaded_at"]
    list_select_related = [
        "indicator_value__indicator",
        "indicator_value__period",
        "uploaded_by",
    ]
    search_fields = ["original_name", "indicator_value__indicator__code"]


class MeetingAttendanceInline(admin.TabularInline):
    model = MeetingAttendance
    extra = 0
    fields = ["institution", "women_present", "men_present"]
    autocomplete_fields = ["institution"]


@admin.register(CommitteeMeeting)
class CommitteeMeetingAdmin(TrackerAdmin):
    allow_revert = False
    list_display = ["date", "place", "period"]
    list_filter = ["period__plan", "period__year"]
    list_select_related = ["period"]
    search_fields = ["place", "decisions"]
    autocomplete_fields = ["period"]
    inlines = [MeetingAttendanceInline]


@admin.register(MeetingAttendance)
class MeetingAttendanceAdmin(TrackerAdmin):
    allow_revert = False
    list_display = ["meeting", "institution", "women_present", "men_present"]
    list_select_related = ["meeting", "institution"]
    search_fields = ["institution__name", "institution__acronym"]
    autocomplete_fields = ["meeting", "institution"]


class PublishedReportFileInline(admin.TabularInline):
    """The files a version was published as: shown, never changed (they are its record)."""

    model = PublishedReportFile
    extra = 0
    can_delete = False
    fields = readonly_fields = ["language", "kind", "download", "size", "sha256", "created_at"]

    @admin.display(description=_("file"))
    def download(self, row):
        # Through the report's door, which checks the plan; the storage name says nothing.
        report = row.version.report
        url = reverse("annual-report-export", args=[report.plan.slug, report.year, row.kind])
        return format_html(
            '<a href="{}?version={}&amp;language={}">{}</a>',
            url,
            row.version.number,
            row.language,
            row.get_kind_display(),
        )

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PublishedReport)
class PublishedReportAdmin(ViewOnly, admin.ModelAdmin):
    # Published from the report page; a version never changes, so it has no history to show.
    list_display = ["report", "number", "published_at", "published_by"]
    list_filter = ["report__plan", "report__year"]
    list_select_related = ["report__plan", "published_by"]
    show_full_result_count = False
    fields = readonly_fields = ["report", "number", "published_at", "published_by"]
    inlines = [PublishedReportFileInline]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("figures", "narrative", "value_versions")
