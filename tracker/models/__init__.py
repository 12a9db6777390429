from .accounts import User
from .budget import Activity, BudgetLine, FundingSource
from .framework import (
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
)
from .meetings import CommitteeMeeting, MeetingAttendance
from .reporting import (
    ActivityProgress,
    BreakdownRow,
    EvidenceFile,
    IndicatorValue,
    PeriodClosedError,
    ReportingPeriod,
)
from .reports import AnnualReport, PublishedReport
from .sources import Source

__all__ = [
    "Activity",
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
    "Region",
    "ReportingPeriod",
    "Result",
    "ScaleLevel",
    "Source",
    "User",
]
