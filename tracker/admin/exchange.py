"""How a plan's figures are named in DHIS2 and IATI (tracker/exchange/), and the API tokens
users hold (a token's secret is never stored, so the admin can only revoke one)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from tracker.models import ApiToken, ComboMapping, ExchangeSettings

from .base import TrackerAdmin


@admin.register(ExchangeSettings)
class ExchangeSettingsAdmin(TrackerAdmin):
    list_display = ["plan", "org_unit", "data_set", "iati_identifier"]
    list_select_related = ["plan"]
    fieldsets = [
        (None, {"fields": ["plan"]}),
        (
            _("DHIS2 and ADX"),
            {"fields": ["org_unit", "data_set", "default_combo", "attribute_option_combo"]},
        ),
        (
            _("IATI"),
            {
                "fields": [
                    "iati_reporting_org_ref",
                    "iati_reporting_org_type",
                    "iati_identifier",
                    "recipient_country",
                ]
            },
        ),
    ]


@admin.register(ComboMapping)
class ComboMappingAdmin(TrackerAdmin):
    list_display = ["category", "cross_category", "combo"]
    list_select_related = ["category__dimension", "cross_category__dimension"]
    autocomplete_fields = []
    search_fields = ["combo", "category__code", "cross_category__code"]


@admin.register(ApiToken)
class ApiTokenAdmin(TrackerAdmin):
    list_display = [
        "name",
        "user",
        "prefix",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    list_select_related = ["user"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "user__username", "prefix"]
    readonly_fields = [
        "user",
        "name",
        "prefix",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    exclude = ["digest"]
    actions = ["revoke"]
    allow_revert = False

    def has_add_permission(self, request):
        return False  # a token is created by its owner, who alone sees its secret

    @admin.action(description=_("Revoke the selected tokens"), permissions=["change"])
    def revoke(self, request, queryset):
        for token in queryset.filter(revoked_at__isnull=True):
            token.revoke(by=request.user)
        self.message_user(request, _("The tokens are revoked; a token in use stops working now."))
