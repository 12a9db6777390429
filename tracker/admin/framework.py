"""The results framework in the admin: plans, axes, results, opportunities, indicators with their
annual targets and scale levels, and the reference lists they use (institutions, regions,
dimensions, sources, alignment tags)."""

from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationStackedInline, TranslationTabularInline

from tracker import services
from tracker.admin.base import TrackerAdmin, TranslatedAdmin
from tracker.admin.budget import ActivityInline
from tracker.admin.imports import AnnualTargetResource, FrameworkImportMixin, IndicatorResource
from tracker.models import (
    AlignmentTag,
    AnnualTarget,
    Axis,
    Dimension,
    DimensionValue,
    Indicator,
    Institution,
    Opportunity,
    Plan,
    Region,
    Result,
    ScaleLevel,
    Source,
)

# Inlines


class AxisInline(TranslationStackedInline):
    model = Axis
    extra = 0
    fields = ["number", "name", "objective", "source_note"]
    show_change_link = True


class ResultInline(TranslationTabularInline):
    model = Result
    extra = 0
    fields = ["code", "statement", "source_note"]
    show_change_link = True


class OpportunityInline(TranslationTabularInline):
    model = Opportunity
    extra = 0
    fields = ["code", "statement", "source_note"]
    show_change_link = True


class IndicatorInline(TranslationTabularInline):
    model = Indicator
    fk_name = "result"
    extra = 0
    fields = ["code", "name", "opportunity", "unit_kind", "aggregation", "direction"]
    autocomplete_fields = ["opportunity"]
    show_change_link = True


class OpportunityIndicatorInline(IndicatorInline):
    fk_name = "opportunity"
    fields = ["code", "name", "unit_kind", "aggregation", "direction"]
    autocomplete_fields = []


class AnnualTargetInline(admin.TabularInline):
    model = AnnualTarget
    extra = 0
    fields = ["year", "value"]


class ScaleLevelInline(TranslationTabularInline):
    model = ScaleLevel
    extra = 0
    fields = ["value", "name"]


class DimensionValueInline(TranslationTabularInline):
    model = DimensionValue
    extra = 0
    fields = ["code", "name", "order", "region"]
    autocomplete_fields = ["region"]


# Framework


@admin.register(Plan)
class PlanAdmin(TranslatedAdmin):
    list_display = ["slug", "country", "start_year", "end_year", "lead_institution", "is_public"]
    list_filter = ["country", "is_public"]
    list_select_related = ["lead_institution"]
    search_fields = ["slug", "title", "country"]
    autocomplete_fields = ["lead_institution"]
    prepopulated_fields = {"slug": ["country", "start_year", "end_year"]}
    inlines = [AxisInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # A new plan, or one whose years grew, gets its missing periods.
        services.generate_periods(plan=obj)
        # Open periods whose due date followed the old rule follow the new one.
        if change and "days_to_report" in form.changed_data:
            services.reschedule_due_dates(
                plan=obj, previous_days=form.initial["days_to_report"], user=request.user
            )


@admin.register(Axis)
class AxisAdmin(TranslatedAdmin):
    list_display = ["number", "name", "plan"]
    list_display_links = ["number", "name"]
    list_filter = ["plan"]
    list_select_related = ["plan"]
    search_fields = ["name", "objective", "plan__slug"]
    autocomplete_fields = ["plan"]
    inlines = [ResultInline]


@admin.register(Result)
class ResultAdmin(TranslatedAdmin):
    list_display = ["code", "statement_short", "axis", "plan"]
    list_display_links = ["code", "statement_short"]
    list_filter = ["plan", "axis"]
    list_select_related = ["axis", "plan"]
    search_fields = ["code", "statement"]
    autocomplete_fields = ["axis"]
    readonly_fields = ["plan"]
    inlines = [OpportunityInline, IndicatorInline]

    @admin.display(description=_("statement"), ordering="statement")
    def statement_short(self, obj):
        return obj.statement[:120]


@admin.register(Opportunity)
class OpportunityAdmin(TranslatedAdmin):
    list_display = ["code", "statement_short", "result", "plan"]
    list_display_links = ["code", "statement_short"]
    list_filter = ["plan", "result__axis"]
    list_select_related = ["result", "plan"]
    search_fields = ["code", "statement"]
    autocomplete_fields = ["result"]
    readonly_fields = ["plan"]
    inlines = [OpportunityIndicatorInline, ActivityInline]
    statement_short = ResultAdmin.statement_short


@admin.register(Indicator)
class IndicatorAdmin(FrameworkImportMixin, TranslatedAdmin):
    resource_classes = [IndicatorResource]  # the framework from a spreadsheet
    list_display = [
        "code",
        "name_short",
        "unit_kind",
        "aggregation",
        "reporting_frequency",
        "direction",
        "result",
        "plan",
    ]
    list_display_links = ["code", "name_short"]
    list_filter = [
        "plan",
        "result__axis",
        "unit_kind",
        "aggregation",
        "reporting_frequency",
        "direction",
    ]
    list_select_related = ["result", "plan"]
    search_fields = ["code", "name", "definition"]
    autocomplete_fields = [
        "result",
        "opportunity",
        "parent",
        "responsible_institutions",
        "dimensions",
        "alignment_tags",
    ]
    readonly_fields = ["plan"]
    inlines = [AnnualTargetInline, ScaleLevelInline]
    fieldsets = [
        (None, {"fields": ["plan", "result", "opportunity", "parent", "code", "name"]}),
        (
            _("Definition"),
            {
                "fields": [
                    "definition",
                    "unit_kind",
                    "aggregation",
                    "reporting_frequency",
                    "direction",
                ]
            },
        ),
        (
            _("Baseline and target"),
            {
                "fields": [
                    "baseline_value",
                    "baseline_year",
                    "baseline_citation",
                    "baseline_source",
                    "target_value",
                ]
            },
        ),
        (
            _("Data"),
            {
                "fields": [
                    "means_of_verification",
                    "data_source",
                    "responsible_institutions",
                    "dimensions",
                    "alignment_tags",
                    "citation",
                    "source_note",
                ]
            },
        ),
    ]

    @admin.display(description=_("name"), ordering="name")
    def name_short(self, obj):
        return obj.name[:120]


@admin.register(AnnualTarget)
class AnnualTargetAdmin(FrameworkImportMixin, TrackerAdmin):
    resource_classes = [AnnualTargetResource]
    list_display = ["indicator", "year", "value"]
    list_filter = ["indicator__plan", "year"]
    list_select_related = ["indicator"]
    search_fields = ["indicator__code", "indicator__name"]
    autocomplete_fields = ["indicator"]


@admin.register(ScaleLevel)
class ScaleLevelAdmin(TranslatedAdmin):
    list_display = ["indicator", "value", "name"]
    list_filter = ["indicator__plan"]
    list_select_related = ["indicator"]
    search_fields = ["indicator__code", "name"]
    autocomplete_fields = ["indicator"]


# Reference lists


@admin.register(Institution)
class InstitutionAdmin(TranslatedAdmin):
    list_display = ["name", "acronym", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "acronym"]


@admin.register(Region)
class RegionAdmin(TrackerAdmin):
    list_display = ["code", "name", "valid_from", "valid_to"]
    search_fields = ["code", "name"]


@admin.register(Dimension)
class DimensionAdmin(TranslatedAdmin):
    list_display = ["code", "name", "order"]
    search_fields = ["code", "name"]
    inlines = [DimensionValueInline]


@admin.register(DimensionValue)
class DimensionValueAdmin(TranslatedAdmin):
    list_display = ["code", "name", "dimension", "region", "order"]
    list_filter = ["dimension"]
    list_select_related = ["dimension", "region"]
    search_fields = ["code", "name", "dimension__name"]
    autocomplete_fields = ["dimension", "region"]


@admin.register(Source)
class SourceAdmin(TranslatedAdmin):
    list_display = ["publisher", "title", "published_on", "kind"]
    list_filter = ["kind"]
    search_fields = ["publisher", "title"]
    date_hierarchy = "published_on"
    # A publication's address typed without its scheme is read as https (Django 6's default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(AlignmentTag)
class AlignmentTagAdmin(TranslatedAdmin):
    list_display = ["code", "name", "framework"]
    list_filter = ["framework"]
    search_fields = ["code", "name"]
