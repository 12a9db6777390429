"""The operational plan in the admin: activities, their budget lines and funding sources."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationTabularInline

from tracker.admin.base import TrackerAdmin, TranslatedAdmin
from tracker.admin.imports import ActivityResource, BudgetLineResource, FrameworkImportMixin
from tracker.models import Activity, BudgetLine, FundingSource


class ActivityInline(TranslationTabularInline):
    model = Activity
    extra = 0
    fields = ["code", "title", "lead_institution", "start_year", "end_year"]
    autocomplete_fields = ["lead_institution"]
    show_change_link = True


class BudgetLineInline(admin.TabularInline):
    model = BudgetLine
    extra = 0
    fields = ["year", "funding_source", "planned_amount"]
    autocomplete_fields = ["funding_source"]


@admin.register(Activity)
class ActivityAdmin(FrameworkImportMixin, TranslatedAdmin):
    resource_classes = [ActivityResource]  # the operational plan from a spreadsheet
    list_display = ["code", "title_short", "opportunity", "lead_institution", "plan"]
    list_display_links = ["code", "title_short"]
    list_filter = ["plan", "start_year"]
    list_select_related = ["opportunity", "lead_institution", "plan"]
    search_fields = ["code", "title"]
    autocomplete_fields = ["opportunity", "lead_institution", "partners"]
    readonly_fields = ["plan"]
    inlines = [BudgetLineInline]

    @admin.display(description=_("title"), ordering="title")
    def title_short(self, obj):
        return obj.title[:120]


@admin.register(FundingSource)
class FundingSourceAdmin(TranslatedAdmin):
    list_display = ["name", "kind", "institution"]
    list_filter = ["kind"]
    list_select_related = ["institution"]
    search_fields = ["name"]
    autocomplete_fields = ["institution"]


@admin.register(BudgetLine)
class BudgetLineAdmin(FrameworkImportMixin, TrackerAdmin):
    resource_classes = [BudgetLineResource]
    list_display = ["activity", "year", "funding_source", "planned_amount"]
    list_filter = ["activity__plan", "year", "funding_source"]
    list_select_related = ["activity", "funding_source"]
    search_fields = ["activity__code", "activity__title"]
    autocomplete_fields = ["activity", "funding_source"]
