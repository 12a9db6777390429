"""How an indicator's figures read, in pages and exports alike, in the active language.

Every figure shown goes through format_number, which rounds half up (progress.rounded, the one
rounding rule of DESIGN.md §3) before printing it as Django's number_format would, which on its
own would cut the extra decimals off (28.57 → "28.5"). A percentage shows one decimal
(progress.PERCENT_PLACES)."""

from decimal import Decimal
from functools import cache

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.formats import get_format, number_format
from django.utils.translation import get_language, pgettext, pgettext_lazy
from django.utils.translation import gettext as _

from tracker import progress

# Column headers of the four quarters (French « T1 »… for trimestre).
QUARTER_LABELS = (
    pgettext_lazy("quarter column", "Q1"),
    pgettext_lazy("quarter column", "Q2"),
    pgettext_lazy("quarter column", "Q3"),
    pgettext_lazy("quarter column", "Q4"),
)


def format_number(number, decimal_places=None):
    """A number in the active language (4 000,5 / 4,000.5), rounded half up to
    `decimal_places`: whole numbers read without decimals, others with at most two."""
    if number is None:
        return "—"
    if not isinstance(number, Decimal):
        number = Decimal(str(number))
    if decimal_places is None:
        # Whole numbers read without ",00"; others keep at most two decimals.
        decimal_places = 0 if number == number.to_integral_value() else 2
    return grouped(progress.rounded(number, decimal_places), decimal_places)


@cache
def separators(language):
    """(decimal separator, thousand separator, digits per group) of a language, read once:
    number_format looks each up for every number, a sixth of a report's time."""
    return tuple(
        get_format(name, language, use_l10n=True)
        for name in ("DECIMAL_SEPARATOR", "THOUSAND_SEPARATOR", "NUMBER_GROUPING")
    )


@receiver(setting_changed)
def forget_separators(**kwargs):
    separators.cache_clear()  # as Django forgets its formats when a setting changes


def grouped(number, decimal_places):
    """A Decimal already rounded to `decimal_places` in the active language, digits grouped:
    the text of number_format(number, decimal_places, force_grouping=True), made by Python's
    own formatting when the language groups digits by three (number_format does the rest)."""
    decimal_separator, thousand_separator, grouping = separators(get_language())
    if (
        grouping != 3
        or not number.is_finite()
        # Past 200 digits number_format writes 1.2e+200; these stay well within it.
        or number.adjusted() >= 100
        or decimal_places >= 40
    ):
        return number_format(number, decimal_places, use_l10n=True, force_grouping=True)
    if not number:
        number = Decimal(0)  # number_format prints no sign before a zero
    whole, _point, fraction = f"{number:,.{decimal_places}f}".partition(".")
    whole = whole.replace(",", thousand_separator)
    return f"{whole}{decimal_separator}{fraction}" if fraction else whole


def percent_sign():
    """The percent sign with the space the active language puts before it: a no-break space
    in French (« 28,6 % » never breaks before the sign), a plain space in English."""
    return "\u00a0%" if (get_language() or "").startswith("fr") else " %"


def colon():
    """The colon after a label, as the active language writes it: a no-break space before it
    in French (« Numérateur : »), none in English."""
    return "\u00a0:" if (get_language() or "").startswith("fr") else ":"


def format_percent(points):
    """Percentage points (28.5714) as a reader sees them: "28,6 %" / "28.6 %"; "—" for None."""
    if points is None:
        return "—"
    return f"{format_number(points, progress.PERCENT_PLACES)}{percent_sign()}"


def format_share(share):
    """A 0-1 fraction (a progress, a completeness: 0.2857) as a percentage: "28,6 %"."""
    return format_percent(progress.share_as_points(share))


def qualified(text, qualifier):
    """A figure with the bound its source gave: "≥ 874", "≤ 12", "about 1,200"."""
    if qualifier == progress.Qualifier.AT_LEAST:
        return f"≥\u00a0{text}"
    if qualifier == progress.Qualifier.AT_MOST:
        return f"≤\u00a0{text}"
    if qualifier == progress.Qualifier.ABOUT:
        return _("about %(figure)s") % {"figure": text}
    return text


def format_indicator_value(indicator, value):
    """The figure of an IndicatorValue as a reader expects it for the indicator's unit."""
    if value is None or value.value is None:
        return "—"
    kind = indicator.UnitKind
    if indicator.unit_kind in (kind.COUNT, kind.AMOUNT, kind.PERCENTAGE):
        return qualified(_unqualified_value(indicator, value), value.qualifier)
    return _unqualified_value(indicator, value)


def _unqualified_value(indicator, value):
    kind = indicator.UnitKind
    if indicator.unit_kind == kind.PERCENTAGE:
        text = format_percent(value.value)
        if value.denominator:
            text += f" ({format_number(value.numerator)}/{format_number(value.denominator)})"
        return text
    if indicator.unit_kind == kind.AMOUNT:
        return f"{format_number(value.value, 0)} FCFA"
    if indicator.unit_kind == kind.MILESTONE:
        return _("Yes") if value.value else _("No")
    if indicator.unit_kind == kind.SCALE:
        levels = {level.value: level.name for level in indicator.scale_levels.all()}
        level = int(value.value)
        return f"{level} – {levels[level]}" if level in levels else str(level)
    return format_number(value.value)


def format_annual(indicator, number, qualifier=progress.Qualifier.EXACT):
    """An annual value (a plain Decimal, not a stored value) in the indicator's unit."""
    return format_in_unit(indicator.unit_kind, number, qualifier)


def format_in_unit(unit_kind, number, qualifier=progress.Qualifier.EXACT):
    """A number as a reader expects it for a unit kind (count, percentage, amount...), with
    its bound if it is one."""
    if number is None:
        return "—"
    if qualifier and qualifier != progress.Qualifier.EXACT:
        return qualified(format_in_unit(unit_kind, number), qualifier)
    if unit_kind == "percentage":
        return format_percent(number)
    if unit_kind == "amount":
        return f"{format_number(number, 0)} FCFA"
    if unit_kind == "milestone":
        return _("Yes") if Decimal(number) else _("No")
    if unit_kind == "rank":
        return _("rank %(rank)s") % {"rank": format_number(number, 0)}
    return format_number(number)


def format_change(unit_kind, difference, trend, reference):
    """How a figure moved, for a figure without a target: "+2 714 on 2019 (worse)".
    `difference` is a Decimal (or its text, from a report's saved figures), `trend` a
    progress.Trend value, `reference` what the figure is compared with (a year)."""
    if difference is None:
        return ""
    difference = Decimal(difference)
    sign = "+" if difference > 0 else "−" if difference < 0 else "±"
    if unit_kind == "percentage":
        magnitude = _("%(number)s points") % {
            "number": format_number(abs(difference), progress.PERCENT_PLACES)
        }
    elif unit_kind in ("milestone", "scale", "rank"):
        magnitude = format_number(abs(difference))  # levels and places, not "yes" or "rank"
    else:
        magnitude = format_in_unit(unit_kind, abs(difference))
    return _("%(change)s on %(reference)s (%(trend)s)") % {
        "change": f"{sign}{magnitude}",
        "reference": reference,
        "trend": progress.Trend(trend).label,
    }


def describe_changes(unit_kind, *, year, baseline_year, from_previous, from_baseline):
    """The changes a figure without a target is read by: on the previous year, then on the
    baseline. Each `from_*` is (difference, trend) or None."""
    texts = []
    if from_previous:
        texts.append(format_change(unit_kind, *from_previous, reference=year - 1))
    if from_baseline:
        reference = (
            _("the %(year)s baseline") % {"year": baseline_year}
            if baseline_year
            else _("the baseline")
        )
        texts.append(format_change(unit_kind, *from_baseline, reference=reference))
    return " · ".join(texts)


def describe_coverage(unit_kind, *, covered, total, quarters):
    """How much of the year's figure its breakdown describes, when not all of it: "Broken
    down: 100 of 16 093 (0,6 %), from Q1". Empty when the breakdown covers the whole figure."""
    if covered is None or total is None:
        return ""
    covered, total = Decimal(covered), Decimal(total)
    if covered == total:
        return ""
    share = format_percent(progress.percentage(covered, total)) if total else "—"
    return _("Broken down: %(covered)s of %(total)s (%(share)s), from %(quarters)s") % {
        "covered": format_in_unit(unit_kind, covered),
        "total": format_in_unit(unit_kind, total),
        "share": share,
        "quarters": ", ".join(str(QUARTER_LABELS[quarter - 1]) for quarter in quarters),
    }


def describe_basis(basis, has_quarters):
    """A word under a year's figure that is a whole-year value, so that quarters printed beside
    it are not read as its parts. Empty for a figure aggregated from its quarters."""
    if basis != progress.Basis.WHOLE_YEAR:
        return ""
    if has_quarters:
        return pgettext("figure basis", "whole-year value; the quarters are in-year observations")
    return pgettext("figure basis", "whole-year value")


def compact_breakdown(cells):
    """(cells to print, how many cells are zero): a breakdown printed without its rows of
    zeros, which a sentence then counts."""
    shown = [cell for cell in cells if Decimal(cell["value"]) != 0]
    return shown, len(cells) - len(shown)
