"""Progress maths (DESIGN.md §3): an indicator's annual value, its progress from baseline to
target, and the status that every page and export shows.

Pure functions on plain values, with no database access, so that views, exports and tests all
call the same code. Decimal throughout, never float. Percentages are in percentage points
(31.03 means 31.03 %).

One rounding rule: half up (ROUND_HALF_UP, that is half away from zero: 28.55 → 28.6,
−28.55 → −28.6), never truncation and never half-to-even. Computed figures are kept to
STORED_PLACES (4, the precision of the database columns); percentages are shown with one decimal
(PERCENT_PLACES). `rounded`, `percentage`, `share_as_points` and `mean` are the only arithmetic
of that kind: formatting.format_number, the exports and the entry page's live preview
(static/tracker/period_entry.js) all round the same way, so that the same value never reads
28,5 % in one place and 28,6 % in another.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

# The outlier band (issue 14) is part of this arithmetic, kept in its own file for length.
from tracker.outliers import Outlier, median, outlier  # noqa: F401

# The values of Indicator.Aggregation, Direction and UnitKind. They are repeated here so that this
# module needs no model. TextChoices members are equal to these strings, so either can be passed.
SUM, LATEST, RATIO = "sum", "latest", "ratio"
INCREASE, DECREASE = "increase", "decrease"
MILESTONE, SCALE = "milestone", "scale"

DEFAULT_BAND = Decimal("0.15")
QUARTERS_IN_YEAR = 4


class Status(models.TextChoices):
    ACHIEVED = "achieved", _("Achieved")
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    OFF_TRACK = "off_track", _("Off track")
    # Figures exist but nothing measures them: the change from the baseline and from the
    # previous year says what they mean (see `change`).
    NO_TARGET = "no_target", _("No target")
    # A bound ("over 874") that cannot say on which side of the target the true figure lies.
    UNKNOWN = "unknown", _("Cannot tell")
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
    Status.NO_TARGET: "◇",
    Status.UNKNOWN: "?",
    Status.NO_DATA: "○",
}
STATUS_COLOURS = {
    Status.ACHIEVED: "success",
    Status.ON_TRACK: "primary",
    Status.AT_RISK: "warning",
    Status.OFF_TRACK: "danger",
    Status.NO_TARGET: "info",
    Status.UNKNOWN: "light",
    Status.NO_DATA: "secondary",
}


class Qualifier(models.TextChoices):
    """What a figure is: exact, or a bound the source gave ("over 874", "more than 15 000")."""

    EXACT = "exact", _("exact")
    AT_LEAST = "at_least", _("at least")
    AT_MOST = "at_most", _("at most")
    ABOUT = "about", _("about")


class Basis(models.TextChoices):
    """Where a year's figure comes from: a whole-year value, or its quarters aggregated."""

    WHOLE_YEAR = "whole_year", _("Whole-year value")
    SUM = SUM, _("Sum of the quarters")
    LATEST = LATEST, _("Latest quarter")
    RATIO = RATIO, _("Quarters' numerators over their denominators")


@dataclass(frozen=True)
class Quarter:
    """One validated value of an indicator: of a quarter (1 to 4), or of the whole year
    (quarter None, for indicators reported annually)."""

    quarter: int | None
    value: Decimal | None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    qualifier: str = Qualifier.EXACT

    def __post_init__(self):
        if self.quarter is not None and not 1 <= self.quarter <= QUARTERS_IN_YEAR:
            raise ValueError(f"A quarter is numbered 1 to 4, not {self.quarter}.")


def year_value(aggregation, quarters: Iterable[Quarter], whole_year: Quarter | None = None):
    """A year's figure (DESIGN.md §3): its validated whole-year value where one exists, else
    the aggregation of its validated quarters (`annual_value`). Quarters under a whole-year
    value are in-year observations: they are never added to it."""
    if whole_year is not None and whole_year.value is not None:
        return whole_year.value
    return annual_value(aggregation, quarters)


def year_qualifier(aggregation, quarters: Iterable[Quarter], whole_year: Quarter | None = None):
    """What `year_value` is: the whole-year value's own qualifier, or `annual_qualifier`."""
    if whole_year is not None and whole_year.value is not None:
        return Qualifier(whole_year.qualifier)
    return annual_qualifier(aggregation, quarters)


def annual_value(aggregation, quarters: Iterable[Quarter]) -> Decimal | None:
    """The year's value from its validated quarters, which may be missing or unordered.

    sum: the total of the quarters' values. latest: the value of the last quarter that has one.
    ratio: 100 × Σnumerators ÷ Σdenominators over the quarters that have both (`percentage`:
    to 4 places, half up). It is never an average of the quarterly percentages, which would
    weigh a survey of 2 people like one of 40. None when there is nothing to aggregate (or the
    denominators add up to zero).
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
        return percentage(numerator, denominator)
    raise ValueError(f"Unknown aggregation: {aggregation!r}")


def annual_qualifier(aggregation, quarters: Iterable[Quarter]) -> Qualifier:
    """What the year's value is, given what its quarters are. A sum that includes a lower
    bound is a lower bound (and an upper bound an upper bound); bounds both ways, or any
    approximate quarter, make it approximate. A latest value is what that quarter is; a ratio
    built from any bound is approximate."""
    reported = [q for q in quarters if q.value is not None]
    if not reported:
        return Qualifier.EXACT
    if aggregation == LATEST:
        return Qualifier(max(reported, key=lambda q: q.quarter).qualifier)
    kinds = {Qualifier(q.qualifier) for q in reported} - {Qualifier.EXACT}
    if not kinds:
        return Qualifier.EXACT
    if aggregation == SUM and len(kinds) == 1 and Qualifier.ABOUT not in kinds:
        return kinds.pop()
    return Qualifier.ABOUT


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
        return rounded(Decimal(1 if reached else 0), STORED_PLACES)
    # The same formula serves both directions: for a decrease both differences are negative.
    return rounded((value - baseline) / (target - baseline), STORED_PLACES)


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
    qualifier=Qualifier.EXACT,
) -> Status:
    """The status of one indicator for one year (DESIGN.md §3).

    - NO_DATA: no value. NO_TARGET: a value, but no annual target to measure it against.
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
    - A bound is judged honestly: a lower bound (at least) of an increase already at the
      target is ACHIEVED, but below it the true figure may be anywhere, so UNKNOWN rather than
      off track; the other way round for a figure that should decrease (an upper bound under
      the target is ACHIEVED). A bound on the wrong side says the figure is at least that bad
      (judged as it is), unless that would read ACHIEVED: then UNKNOWN.
    """
    _check_direction(direction)
    if aggregation not in (SUM, LATEST, RATIO):
        raise ValueError(f"Unknown aggregation: {aggregation!r}")
    expected_share(elapsed_quarters)  # validates the range
    band = Decimal(str(band))
    judged = _status_of_figure(
        aggregation, direction, unit_kind, value, baseline, annual_target, elapsed_quarters, band
    )
    if qualifier not in (Qualifier.AT_LEAST, Qualifier.AT_MOST) or judged in (
        Status.NO_DATA,
        Status.NO_TARGET,
    ):
        return judged
    # The true figure lies beyond the bound, on this side:
    towards_better = (qualifier == Qualifier.AT_LEAST) == (direction == INCREASE)
    if towards_better:
        return judged if judged == Status.ACHIEVED else Status.UNKNOWN
    return Status.UNKNOWN if judged == Status.ACHIEVED else judged


def _status_of_figure(
    aggregation, direction, unit_kind, value, baseline, annual_target, elapsed_quarters, band
):
    if value is None:
        return Status.NO_DATA
    if annual_target is None:
        return Status.NO_TARGET

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


class Trend(models.TextChoices):
    """Which way a change went, for the reader: the indicator's direction decides."""

    BETTER = "better", _("better")
    WORSE = "worse", _("worse")
    SAME = "same", _("unchanged")


@dataclass(frozen=True)
class Change:
    """How far a figure moved from a reference (the baseline, the previous year)."""

    difference: Decimal
    trend: Trend


def change(value, reference, direction) -> Change | None:
    """The change from `reference` to `value`, and whether it is for the better given the
    indicator's direction; None when either is missing. What a figure without a target says."""
    _check_direction(direction)
    if value is None or reference is None:
        return None
    difference = value - reference
    if not difference:
        return Change(difference, Trend.SAME)
    return Change(difference, Trend.BETTER if _better(value, reference, direction) else Trend.WORSE)


def completeness(due, reported) -> Decimal | None:
    """Reported ÷ due as a fraction to 4 places; None when nothing was due."""
    if not due:
        return None
    return rounded(Decimal(reported) / Decimal(due), STORED_PLACES)


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


# One arithmetic, one rounding rule (DESIGN.md §3). Every page, export and the live preview
# of the entry page round through these.

STORED_PLACES = 4  # what a computed figure keeps: the database columns' decimal places
PERCENT_PLACES = 1  # what a percentage shows: 28.6 %


def rounded(number, places) -> Decimal | None:
    """`number` rounded half up to `places` decimals, as a Decimal; None for None.

    Half up means half away from zero, the same for negatives: 28.55 → 28.6, 0.05 → 0.1,
    2.5 → 3 (places=0), −28.55 → −28.6, −2.5 → −3. It never truncates. A float is read
    through its shortest text (1.005 is 1.005, not the binary 1.00499…), and a result that
    rounds to zero is 0, never −0.
    """
    if number is None:
        return None
    if not isinstance(number, Decimal):
        number = Decimal(str(number))
    result = number.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    return result if result else abs(result)


def percentage(numerator, denominator) -> Decimal | None:
    """100 × numerator ÷ denominator in percentage points, kept to STORED_PLACES (42 ÷ 147 →
    28.5714, shown 28.6 %); None when either is missing or the denominator is zero."""
    if numerator is None or denominator is None:
        return None
    numerator, denominator = Decimal(str(numerator)), Decimal(str(denominator))
    if not denominator:
        return None
    return rounded(100 * numerator / denominator, STORED_PLACES)


def share_as_points(share) -> Decimal | None:
    """A 0-1 fraction (a progress, a completeness: 0.2857) in percentage points (28.57),
    exactly; None for None."""
    if share is None:
        return None
    return Decimal(str(share)) * 100


def mean(numbers) -> Decimal | None:
    """The mean of some numbers (shares, progresses) kept to STORED_PLACES; None when there
    are none."""
    numbers = [Decimal(str(number)) for number in numbers]
    if not numbers:
        return None
    return rounded(sum(numbers, Decimal(0)) / len(numbers), STORED_PLACES)
