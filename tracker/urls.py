from django.urls import path, register_converter

from tracker.views import (
    account,
    completeness,
    entry,
    exchange,
    indicators,
    meetings,
    periods,
    plans,
    reminders,
    reports,
    site,
    spreadsheet_import,
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
    path("favicon.ico", site.favicon, name="favicon"),
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
    # A value's review (issue 14): the page, its comment thread, the secretariat's decisions.
    path("plans/<slug:slug>/values/<int:pk>/", values.value_detail, name="value-detail"),
    path(
        "plans/<slug:slug>/values/<int:pk>/comments/",
        values.value_comment,
        name="value-comment",
    ),
    path(
        "plans/<slug:slug>/values/<int:pk>/decision/",
        values.value_decision,
        name="value-decision",
    ),
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
    path(
        "plans/<slug:slug>/periods/<int:year>-Q<int:quarter>/due-date/",
        periods.period_due_date,
        name="period-due-date",
    ),
    path(
        "plans/<slug:slug>/periods/<int:year>/due-date/",
        periods.period_due_date,
        name="year-due-date",
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
    path(
        "plans/<slug:slug>/completeness/remind/",
        reminders.completeness_remind,
        name="completeness-remind",
    ),
    # The signed-in user's own account: no plan.
    path("account/e-mail/", account.email_preferences, name="account-email"),
    # The quarter in Excel: the pre-filled template, its upload, preview and commit.
    path(
        "plans/<slug:slug>/periods/<int:year>-Q<int:quarter>/template.xlsx",
        spreadsheet_import.period_template,
        name="period-template",
    ),
    path(
        "plans/<slug:slug>/periods/<int:year>/template.xlsx",
        spreadsheet_import.period_template,
        name="year-template",
    ),
    path(
        "plans/<slug:slug>/periods/<int:year>-Q<int:quarter>/import/",
        spreadsheet_import.period_import,
        name="period-import",
    ),
    path(
        "plans/<slug:slug>/periods/<int:year>/import/",
        spreadsheet_import.period_import,
        name="year-import",
    ),
    path(
        "plans/<slug:slug>/imports/<int:pk>/",
        spreadsheet_import.import_preview,
        name="import-preview",
    ),
    path(
        "plans/<slug:slug>/imports/<int:pk>/file/",
        spreadsheet_import.import_file,
        name="import-file",
    ),
    # Other systems' formats (DHIS2, ADX, IATI), and the account's tokens for the API.
    path("plans/<slug:slug>/exports/<exchange:kind>/", exchange.plan_export, name="plan-export"),
    path("account/api-tokens/", tokens.api_tokens, name="api-tokens"),
    path("account/api-tokens/<int:pk>/revoke/", tokens.api_token_revoke, name="api-token-revoke"),
]
