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
from .reporting import BreakdownRow, IndicatorValue, ReportingPeriod

__all__ = [
    "Activity",
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
    "Region",
    "ReportingPeriod",
    "Result",
    "ScaleLevel",
    "User",
]
