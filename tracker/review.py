"""What the secretariat looks at before it validates a value (issue 14), and what the member
who reports it reads there: the values it is compared with, the outlier warning, the breakdown
as a grid with how much of the figure it covers, the evidence. Reads through the
IndicatorValue QuerySet, arithmetic through tracker.progress, text through tracker.formatting."""

from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from tracker import progress
from tracker.access import own_part_in
from tracker.formatting import format_change, format_in_unit, format_number, format_percent
from tracker.models import Indicator, IndicatorValue, chronological_key, period_label
from tracker.models.value_reviews import RECENT_VALUES, periods_beside
from tracker.timeline import value_timeline

UnitKind = Indicator.UnitKind
# Quantities only: a milestone (0 or 1) or a level of a scale has no "three times as much".
CHECKED_UNITS = (UnitKind.COUNT, UnitKind.PERCENTAGE, UnitKind.AMOUNT, UnitKind.RANK)

# Evidence a browser shows itself, by extension, with the type it is served as. The upload
# checked the extension and the first bytes (tracker.forms.files); office documents download.
INLINE_TYPES = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}


def inline_type(file_name):
    """The type an evidence file opens in the browser as, or None if it downloads."""
    return INLINE_TYPES.get(Path(file_name).suffix.lower())


# The outlier warning


def outlier_of(value, recent_figures, factor):
    """The progress.Outlier of a value against its indicator's recent validated figures, or
    None (also for milestones and scales)."""
    if value.indicator.unit_kind not in CHECKED_UNITS:
        return None
    return progress.outlier(value.value, recent_figures, factor)


def describe_outlier(unit_kind, found):
    """The warning in words: "4.2 times the median of the last 4 validated values (24)"."""
    values = {
        "count": found.recent,
        "median": format_in_unit(unit_kind, found.median),
        "figure": format_in_unit(unit_kind, found.value),
    }
    if found.ratio is None:
        return (
            ngettext(
                "%(figure)s where the last %(count)s validated value was 0",
                "%(figure)s where the median of the last %(count)s validated values is 0",
                found.recent,
            )
            % values
        )
    if found.above:
        values["ratio"] = format_number(found.ratio, 1)
        return (
            ngettext(
                "%(ratio)s times the last validated value (%(median)s)",
                "%(ratio)s times the median of the last %(count)s validated values (%(median)s)",
                found.recent,
            )
            % values
        )
    values["share"] = format_percent(progress.percentage(found.value, found.median))
    return (
        ngettext(
            "only %(share)s of the last validated value (%(median)s)",
            "only %(share)s of the median of the last %(count)s validated values (%(median)s)",
            found.recent,
        )
        % values
    )


def recent_figures(figures, period, count=RECENT_VALUES):
    """Of an indicator's validated figures [(year, quarter, figure)], oldest first, the last
    `count` before `period` in periods of its kind: IndicatorValue.validated_before, for rows
    whose figures were read together."""
    before = chronological_key(period.year, period.quarter)
    return [
        figure
        for year, quarter, figure in figures
        if (quarter is None) == (period.quarter is None)
        and chronological_key(year, quarter) < before
    ][-count:]


def queue_warnings(values, factor):
    """{value id: warning} for those of `values` (rows of the validation queue, with their
    indicator and period) outside the band: one query for all of them."""
    values = [value for value in values if value.indicator.unit_kind in CHECKED_UNITS]
    figures = IndicatorValue.objects.validated_figures({value.indicator_id for value in values})
    warnings = {}
    for value in values:
        recent = recent_figures(figures.get(value.indicator_id, []), value.period)
        found = outlier_of(value, recent, factor)
        if found:
            warnings[value.pk] = describe_outlier(value.indicator.unit_kind, found)
    return warnings


# The page

COMPARED_WITH = {
    "previous_quarter": gettext_lazy("Previous quarter"),
    "same_quarter_last_year": gettext_lazy("Same quarter last year"),
    "previous_year": gettext_lazy("Previous year"),
}


def comparisons(value, beside):
    """The figures the value is read against (IndicatorValue.beside): the previous quarter and
    the same quarter a year earlier, or the previous year, each with how the value moved on it
    when it is validated. [(what, period label, other value or None, change text)]."""
    indicator = value.indicator
    shown = []
    for role, key in periods_beside(value.period):
        other = beside.get(key)
        change = ""
        if other is not None and other.status == IndicatorValue.Status.VALIDATED:
            moved = progress.change(value.value, other.value, indicator.direction)
            if moved:
                change = format_change(
                    indicator.unit_kind, moved.difference, moved.trend, period_label(*key)
                )
        shown.append((COMPARED_WITH[role], period_label(*key), other, change))
    return shown


def breakdown_grid(value):
    """The value's breakdown laid out as the entry page lays it out: the categories of its
    first dimension down, those of the second across; "—" where a cell is empty (unknown,
    never 0); and a sentence on how much of the figure it covers. None without a breakdown."""
    cells = list(value.breakdown_rows.all())
    if not cells:
        return None
    amounts = {(cell.category_id, cell.cross_category_id): cell.value for cell in cells}
    rows = _categories(value.indicator, [cell.category for cell in cells])
    crossed = [cell.cross_category for cell in cells if cell.cross_category_id]
    columns = _categories(value.indicator, crossed) if crossed else [None]
    unit = value.indicator.unit_kind
    grid = [
        (
            row,
            [
                format_in_unit(unit, amounts.get((row.pk, column.pk if column else None)))
                for column in columns
            ],
        )
        for row in rows
    ]
    return {"columns": columns, "rows": grid, "coverage": _coverage(value, amounts)}


def _categories(indicator, used):
    """Every category of the dimensions `used` belong to, in their order, so that a category
    left empty shows as "—"; then any used that its dimension no longer lists."""
    dimensions = {category.dimension_id for category in used}
    listed = [
        category
        for dimension in indicator.dimensions.all()
        if dimension.pk in dimensions
        for category in dimension.values.all()
    ]
    return listed + [category for category in dict.fromkeys(used) if category not in listed]


def _coverage(value, amounts):
    if value.value is None:
        return ""
    covered = sum(amounts.values())
    if covered == value.value:
        return _("The breakdown covers the whole figure.")
    unit = value.indicator.unit_kind
    return _("Broken down: %(covered)s of %(total)s (%(share)s).") % {
        "covered": format_in_unit(unit, covered),
        "total": format_in_unit(unit, value.value),
        "share": format_percent(progress.percentage(covered, value.value)) if value.value else "—",
    }


def page_context(access, value):
    """Everything the review page of `value` (read with IndicatorValue.objects.for_review)
    shows, in four queries: the values before it, the values beside it, its history."""
    recent = IndicatorValue.objects.validated_before(value)
    found = outlier_of(value, [other.value for other in recent], access.plan.outlier_factor)
    return {
        "value": value,
        "indicator": value.indicator,
        "recent": recent,
        "recent_median": progress.median(other.value for other in recent),
        "outlier": describe_outlier(value.indicator.unit_kind, found) if found else "",
        "comparisons": comparisons(value, IndicatorValue.objects.beside(value)),
        "breakdown": breakdown_grid(value),
        "evidence": [
            (evidence, inline_type(evidence.original_name))
            for evidence in value.evidence_files.all()
        ],
        "comments": value.comments.all(),
        "timeline": value_timeline(value),
        # Four eyes: why this reader may not validate or return it, if they may not.
        "own_part": own_part_in(access.user, value) if access.can_validate else "",
    }
