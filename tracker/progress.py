"""Progress maths (DESIGN.md §3): an indicator's annual value, its progress from baseline to
target, and the status that every page and export shows.

Pure functions on plain values, with no database access, so that views, exports and tests all
call the same code. Decimal throughout, never float. Percentages are in percentage points
(31.03 means 31.03 %).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

# The values of Indicator.Aggregation, Direction and UnitKind. They are repeated here so that this
# module needs no model. TextChoices members are equal to these strings, so either can be passed.
SUM, LATEST, RATIO = "sum", "latest", "ratio"
INCREASE, DECREASE = "increase", "decrease"
MILESTONE, SCALE = "milestone", "scale"

DEFAULT_BAND = Decimal("0.15")
QUARTERS_IN_YEAR = 4
_CENT = Decimal("0.01")
_FOUR_PLACES = Decimal("0.0001")


class Status(models.TextChoices):
    ACHIEVED = "achieved", _("Achieved")
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    OFF_TRACK = "off_track", _("Off track")
    NO_DATA = "no_data", _("No data")

    @property
    def icon(self):
        """A text glyph to show next to the label, so that colour is never the only signal."""
        return STATUS_ICONS[self]

    @property
    def colour(self):
        """The Bootstrap colour, as in `text-bg-{{ status.colour }}`."""
        return STATUS_COLOURS[self]


STATUS_ICONS = {
    Status.ACHIEVED: "✔",
    Status.ON_TRACK: "↗",
    Status.AT_RISK: "⚠",
    Status.OFF_TRACK: "✖",
    Status.NO_DATA: "○",
}
STATUS_COLOURS = {
    Status.ACHIEVED: "success",
    Status.ON_TRACK: "primary",
    Status.AT_RISK: "warning",
    Status.OFF_TRACK: "danger",
    Status.NO_DATA: "secondary",
}


@dataclass(frozen=True)
class Quarter:
    """One validated quarterly value of an indicator."""

    quarter: int
    value: Decimal | None
    numerator: Decimal | None = None
    denominator: Decimal | None = None

    def __post_init__(self):
        if not 1 <= self.quarter <= QUARTERS_IN_YEAR:
            raise ValueError(f"A quarter is numbered 1 to 4, not {self.quarter}.")


def annual_value(aggregation, quarters: Iterable[Quarter]) -> Decimal | None:
    """The year's value from its validated quarters, which may be missing or unordered.

    sum: the total of the quarters' values. latest: the value of the last quarter that has one.
    ratio: 100 × Σnumerators ÷ Σdenominators over the quarters that have both, to 0.01. It is
    never an average of the quarterly percentages, which would weigh a survey of 2 people like
    one of 40. None when there is nothing to aggregate (or the denominators add up to zero).
    """
    quarters = list(quarters)
    if aggregation == SUM:
        values = [q.value for q in quarters if q.value is not None]
        return sum(values, Decimal(0)) if values else None
    if aggregation == LATEST:
        reported = [q for q in quarters if q.value is not None]
        return max(reported, key=lambda q: q.quarter).value if reported else None
    if aggregation == RATIO:
        # A quarter with only a percentage cannot be weighted, so it is left out.
        pairs = [q for q in quarters if q.numerator is not None and q.denominator is not None]
        denominator = sum((q.denominator for q in pairs), Decimal(0))
        if not denominator:
            return None
        numerator = sum((q.numerator for q in pairs), Decimal(0))
        return (100 * numerator / denominator).quantize(_CENT, ROUND_HALF_UP)
    raise ValueError(f"Unknown aggregation: {aggregation!r}")


def progress(value, baseline, target, direction) -> Decimal | None:
    """The share of the way from baseline to target, (value − baseline) ÷ (target − baseline),
    to 4 places.

    It is not clamped: above 1 means beyond the target, below 0 means worse than the baseline.
    A missing baseline counts as 0 for an increase (starting from nothing) but gives None for a
    decrease, which cannot start from an unknown level. A target lying the wrong way from the
    baseline (a "decrease" towards a higher number, or an "increase" towards a lower one) is a
    misconfiguration and gives None. When target equals baseline, the result is 1 if the value
    is at or better than the target, else 0.
    """
    _check_direction(direction)
    if value is None or target is None:
        return None
    if baseline is None:
        if direction == DECREASE:
            return None
        baseline = Decimal(0)
    if _better(baseline, target, direction):
        return None
    if target == baseline:
        reached = _at_or_better(value, target, direction)
        return Decimal(1 if reached else 0).quantize(_FOUR_PLACES)
    # The same formula serves both directions: for a decrease both differences are negative.
    return ((value - baseline) / (target - baseline)).quantize(_FOUR_PLACES, ROUND_HALF_UP)


def expected_share(elapsed_quarters, aggregation=None) -> Decimal:
    """The share of the annual target expected after `elapsed_quarters` (0 to 4): elapsed ÷ 4.

    The share is the same for every aggregation: a total is expected to build up evenly, and a
    level to move evenly from its start towards the target.
    """
    if not 0 <= elapsed_quarters <= QUARTERS_IN_YEAR:
        raise ValueError(f"Elapsed quarters must be 0 to 4, not {elapsed_quarters}.")
    return Decimal(elapsed_quarters) / QUARTERS_IN_YEAR


def status(
    *,
    aggregation,
    direction,
    unit_kind,
    value,
    baseline,
    annual_target,
    elapsed_quarters,
    band=DEFAULT_BAND,
) -> Status:
    """The status of one indicator for one year (DESIGN.md §3).

    - NO_DATA: no value or no annual target.
    - Milestones (yes/no) have no partial progress: ACHIEVED once the target is met, otherwise
      AT_RISK during the year and OFF_TRACK once all four quarters have elapsed.
    - ACHIEVED when the value meets or beats the annual target, whatever the elapsed quarters.
      Exception: a total that must stay under a ceiling (sum + decrease, e.g. cases) can still
      grow, so it is ACHIEVED only when the year is over.
    - Otherwise the value is compared with the pro-rata point for the elapsed quarters:
      totals (sum) from 0 towards the annual target; levels (latest, ratio, and every scale)
      from the baseline towards it. Without a baseline, or with one already at the target, a
      level has no path to follow and is compared with the full annual target.
      ratio = 1 − shortfall ÷ the way expected so far (for a level with a baseline, that is
      achieved progress ÷ expected progress). ON_TRACK if ratio ≥ 1 − band, AT_RISK if
      ≥ 1 − 2 × band, else OFF_TRACK. When nothing was expected to move, any shortfall is
      OFF_TRACK.
    - With 0 quarters elapsed nothing is expected yet: ON_TRACK unless the value is worse than
      the start (for a ceiling total: already above the annual ceiling), then AT_RISK.
    """
    _check_direction(direction)
    if aggregation not in (SUM, LATEST, RATIO):
        raise ValueError(f"Unknown aggregation: {aggregation!r}")
    expected_share(elapsed_quarters)  # validates the range
    band = Decimal(str(band))
    if value is None or annual_target is None:
        return Status.NO_DATA

    meets_target = _at_or_better(value, annual_target, direction)
    if unit_kind == MILESTONE:
        if meets_target:
            return Status.ACHIEVED
        return Status.OFF_TRACK if elapsed_quarters == QUARTERS_IN_YEAR else Status.AT_RISK

    # A scale is an ordinal level; adding up its quarters would mean nothing.
    is_total = aggregation == SUM and unit_kind != SCALE
    is_ceiling = is_total and direction == DECREASE
    if meets_target and (not is_ceiling or elapsed_quarters == QUARTERS_IN_YEAR):
        return Status.ACHIEVED

    if is_total:
        start = Decimal(0)
    elif baseline is not None and _better(annual_target, baseline, direction):
        start = baseline
    else:
        # No path from a start to follow: judge the value against the full target.
        start, elapsed_quarters = Decimal(0), QUARTERS_IN_YEAR

    if elapsed_quarters == 0:
        bar = annual_target if is_ceiling else start
        return Status.ON_TRACK if _at_or_better(value, bar, direction) else Status.AT_RISK

    expected = start + (annual_target - start) * expected_share(elapsed_quarters)
    shortfall = expected - value if direction == INCREASE else value - expected
    way = abs(expected - start)
    if not way:
        return Status.ON_TRACK if shortfall <= 0 else Status.OFF_TRACK
    ratio = 1 - shortfall / way  # not rounded, so that the band edges are exact
    if ratio >= 1 - band:
        return Status.ON_TRACK
    if ratio >= 1 - 2 * band:
        return Status.AT_RISK
    return Status.OFF_TRACK


def completeness(due, reported) -> Decimal | None:
    """Reported ÷ due as a fraction to 4 places; None when nothing was due."""
    if not due:
        return None
    return (Decimal(reported) / Decimal(due)).quantize(_FOUR_PLACES, ROUND_HALF_UP)


def count_statuses(statuses: Iterable) -> dict[Status, int]:
    """How many of each status, with every status present (zero when absent), in display
    order, for the dashboard cards."""
    counts = dict.fromkeys(Status, 0)
    for item in statuses:
        counts[Status(item)] += 1
    return counts


def _check_direction(direction):
    if direction not in (INCREASE, DECREASE):
        raise ValueError(f"Unknown direction: {direction!r}")


def _at_or_better(value, reference, direction):
    return value >= reference if direction == INCREASE else value <= reference


def _better(value, reference, direction):
    return value > reference if direction == INCREASE else value < reference
