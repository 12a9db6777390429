"""The outlier band of a reported figure (issue 14): part of the progress maths of DESIGN.md §3,
re-exported by tracker.progress (callers write `progress.outlier`); it sits beside that module
only to keep each file short enough to read.

A figure is flagged when it leaves the band the plan sets around the median of the indicator's
last validated values: more than `factor` times the median, or less than the median divided by
`factor` (Plan.outlier_factor, 3 by default: under a third or over three times). The band is
the same whichever way the indicator should move: a sudden fall in recorded cases deserves a
second look as much as a sudden rise. Exact Decimal arithmetic, no rounding: the pages round
what they print through tracker.formatting (half up, the one rule)."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

# One earlier value is not a pattern a figure can depart from.
MIN_RECENT = 2


def median(values: Iterable) -> Decimal | None:
    """The middle of the values once sorted, or the mean of the two middle ones when there is
    an even number of them (exact: (3 + 4) ÷ 2 = 3.5); None when there are none. None values
    are left out."""
    numbers = sorted(Decimal(str(value)) for value in values if value is not None)
    if not numbers:
        return None
    middle = len(numbers) // 2
    if len(numbers) % 2:
        return numbers[middle]
    return (numbers[middle - 1] + numbers[middle]) / 2


@dataclass(frozen=True)
class Outlier:
    """A figure outside the band: how far, and against what."""

    value: Decimal
    median: Decimal
    recent: int  # how many earlier values the median is taken over
    above: bool  # above the band (else below it)

    @property
    def ratio(self) -> Decimal | None:
        """value ÷ median, unrounded (100 ÷ 24 = 4.1666…); None when the median is zero,
        where no ratio says how far the figure went."""
        if not self.median:
            return None
        return self.value / self.median


def outlier(value, recent_values: Iterable, factor) -> Outlier | None:
    """The Outlier when `value` lies outside [median ÷ factor, median × factor] of
    `recent_values` (the indicator's last validated values before it), else None.

    The edges are inside the band: with a median of 24 and a factor of 3, 72 and 8 pass, 72.01
    and 7.99 are flagged. No warning without a figure or with fewer than MIN_RECENT earlier
    values. A median of zero flags any figure above zero (nothing, then something) and never
    zero itself."""
    factor = Decimal(str(factor))
    if factor <= 1:
        raise ValueError(f"The outlier band is a factor above 1, not {factor}.")
    recent = [Decimal(str(number)) for number in recent_values if number is not None]
    if value is None or len(recent) < MIN_RECENT:
        return None
    value, middle = Decimal(str(value)), median(recent)
    if value > middle * factor:
        return Outlier(value=value, median=middle, recent=len(recent), above=True)
    if value < middle / factor:
        return Outlier(value=value, median=middle, recent=len(recent), above=False)
    return None
