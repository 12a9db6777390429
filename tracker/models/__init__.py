"""The models, one module per part of the domain; import them from here."""

from .accounts import User
from .api import ApiToken, ComboMapping, ExchangeSettings
from .budget import Activity, ActivityProgress, BudgetLine, FundingSource
from .comments import ValueComment
from .evidence import EvidenceFile
from .figure_rules import validate_breakdown, validate_figure
from .framework import Axis, Opportunity, Plan, Result
from .imports import SpreadsheetImport
from .indicators import AnnualTarget, Indicator, ScaleLevel
from .meetings import CommitteeMeeting, MeetingAttendance
from .periods import (
    PeriodClosedError,
    ReportingPeriod,
    chronological_key,
    chronological_order,
    period_label,
    quarter_bounds,
)
from .reference import AlignmentTag, Dimension, DimensionValue, Institution, Region
from .reminders import Reminder
from .reports import AnnualReport, PublishedReport, PublishedReportFile
from .sources import Source
from .values import BreakdownRow, IndicatorValue

__all__ = [
    "Activity",
    "ApiToken",
    "ComboMapping",
    "ExchangeSettings",
    "ActivityProgress",
    "AnnualReport",
    "CommitteeMeeting",
    "EvidenceFile",
    "MeetingAttendance",
    "PeriodClosedError",
    "AlignmentTag",
    "AnnualTarget",
    "Axis",
    "BreakdownRow",
    "BudgetLine",
    "Dimension",
    "DimensionValue",
    "FundingSource",
    "Indicator",
    "IndicatorValue",
    "Institution",
    "Opportunity",
    "Plan",
    "PublishedReport",
    "PublishedReportFile",
    "Region",
    "Reminder",
    "ReportingPeriod",
    "Result",
    "ScaleLevel",
    "Source",
    "SpreadsheetImport",
    "User",
    "ValueComment",
    "chronological_key",
    "chronological_order",
    "period_label",
    "quarter_bounds",
    "validate_breakdown",
    "validate_figure",
]
