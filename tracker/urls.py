from django.urls import path, register_converter

from tracker.views import (
    completeness,
    entry,
    exchange,
    indicators,
    meetings,
    periods,
    plans,
    reports,
    tokens,
    validation,
    values,
)


class ExportFormatConverter:
    regex = "pdf|xlsx|csv"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(ExportFormatConverter, "export")


class ExchangeFormatConverter(ExportFormatConverter):
    regex = "dhis2|adx|iati"


register_converter(ExchangeFormatConverter, "exchange")

urlpatterns = [
    path("", plans.home, name="home"),
    path("plans/<slug:slug>/", plans.plan_detail, name="plan-detail"),
    path("plans/<slug:slug>/framework/", plans.framework, name="plan-framework"),
    path("plans/<slug:slug>/indicators/", indicators.indicator_list, name="indicator-list"),
    path(
        "plans/<slug:slug>/indicators/<str:code>/",
        indicators.indicator_detail,
        name="indicator-detail",
    ),
    path("plans/<slug:slug>/regions/", indicators.region_view, name="region-view"),
    path("plans/<slug:slug>/reports/<int:year>/", reports.report_page, name="annual-report"),
    path(
        "plans/<slug:slug>/reports/<int:year>.<export:kind>",
        reports.report_export,
        name="annual-report-export",
    ),
    path(
        "plans/<slug:slug>/reports/<int:year>/narrative/",
        reports.report_narrative,
        name="annual-report-narrative",
    ),
    path(
        "plans/<slug:slug>/reports/<int:year>/publish/",
        reports.report_publish,
        name="annual-report-publish",
    ),
    path(
        "plans/<slug:slug>/periods/<int:year>-Q<int:quarter>/",
        entry.period_entry,
        name="period-entry",
    ),
    # The whole year, where indicators reported annually are entered.
    path("plans/<slug:slug>/periods/<int:year>/", entry.period_entry, name="year-entry"),
    path("plans/<slug:slug>/values/<int:pk>/history/", values.value_history, name="value-history"),
    path("plans/<slug:slug>/evidence/<int:pk>/", values.evidence_file, name="evidence-file"),
    path(
        "plans/<slug:slug>/validation/",
        validation.validation_queue,
        name="validation-queue",
    ),
    path("plans/<slug:slug>/periods/", periods.period_list, name="period-list"),
    path(
        "plans/<slug:slug>/periods/<int:year>-Q<int:quarter>/close/",
        periods.period_close,
        name="period-close",
    ),
    path(
        "plans/<slug:slug>/periods/<int:year>-Q<int:quarter>/reopen/",
        periods.period_reopen,
        name="period-reopen",
    ),
    path("plans/<slug:slug>/periods/<int:year>/close/", periods.period_close, name="year-close"),
    path("plans/<slug:slug>/periods/<int:year>/reopen/", periods.period_reopen, name="year-reopen"),
    path(
        "plans/<slug:slug>/periods/<int:year>-Q<int:quarter>/meetings/",
        meetings.period_meetings,
        name="period-meetings",
    ),
    path(
        "plans/<slug:slug>/meetings/<int:pk>/minutes/",
        meetings.meeting_minutes,
        name="meeting-minutes",
    ),
    path("plans/<slug:slug>/completeness/", completeness.completeness, name="completeness"),
    # Other systems' formats (DHIS2, ADX, IATI), and the account's tokens for the API.
    path("plans/<slug:slug>/exports/<exchange:kind>/", exchange.plan_export, name="plan-export"),
    path("account/api-tokens/", tokens.api_tokens, name="api-tokens"),
    path("account/api-tokens/<int:pk>/revoke/", tokens.api_token_revoke, name="api-token-revoke"),
]
