"""What the exchange formats share: figures as plain decimal text, and periods as each
system names them."""

import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from tracker.models import chronological_key, quarter_bounds

PERIOD_PATTERN = re.compile(r"^(?P<year>[0-9]{4})(?:-?Q(?P<quarter>[1-4]))?$")


def figure_text(number):
    """A figure as machines read it: plain decimal text without trailing zeros ("16093",
    "28.5714"), never a float or an exponent; None for None."""
    if number is None:
        return None
    text = format(Decimal(number).normalize(), "f")
    return "0" if text in ("-0", "") else text


def parse_period(text):
    """(year, quarter or None) of "2021Q3", "2021-Q3" or "2021"; ValueError otherwise."""
    match = PERIOD_PATTERN.match((text or "").strip())
    if not match:
        raise ValueError(
            _("Name a period as 2021Q3 (a quarter) or 2021 (a year), not “%(text)s”.")
            % {"text": text}
        )
    quarter = match["quarter"]
    return int(match["year"]), int(quarter) if quarter else None


def dhis2_period(year, quarter):
    """DHIS2's name of a period: 2021Q3, or 2021 for the whole year."""
    return str(year) if quarter is None else f"{year}Q{quarter}"


def iso_period(year, quarter):
    """The ADX (ISO 8601) name of a period: its first day and its length, 2021-07-01/P3M."""
    start, _end = quarter_bounds(year, quarter)
    return f"{start.isoformat()}/{'P1Y' if quarter is None else 'P3M'}"


@dataclass(frozen=True)
class PeriodRange:
    """The periods from `start` to `end`, both included, each (year, quarter or None). A year
    given as the start begins with its first quarter; as the end, it ends with the whole-year
    period, which follows the fourth quarter."""

    start: tuple
    end: tuple

    @classmethod
    def parse(cls, start, end, plan):
        """From the texts of a request; an empty one is the plan's first or last year."""
        first = parse_period(start) if start else (plan.start_year, None)
        last = parse_period(end) if end else (plan.end_year, None)
        if cls._key(first, 0) > cls._key(last, 5):
            raise ValueError(_("The start of the range comes after its end."))
        return cls(first, last)

    @staticmethod
    def _key(period, whole_year_rank):
        year, quarter = period
        return (year, whole_year_rank) if quarter is None else chronological_key(year, quarter)

    def includes(self, year, quarter):
        key = chronological_key(year, quarter)
        return self._key(self.start, 0) <= key <= self._key(self.end, 5)
