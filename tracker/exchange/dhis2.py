"""DHIS2's dataValueSets JSON (https://docs.dhis2.org, "Data values"): one data value per
validated figure and per breakdown cell, identified by codes, to import with idScheme=CODE.

- dataElement: the indicator's code; period: 2021Q3, or 2021 for a whole-year value; orgUnit:
  the plan's organisation unit (exchange settings; default the country's name).
- categoryOptionCombo: the settings' combination of totals ("default") for the figure itself;
  for a cell, the administrator's mapping (ComboMapping), else the codes of its categories
  joined by an underscore ("women_mopti").
- attributeOptionCombo: the settings' ("default").
- comment: the figure's qualifier when it is a bound ("at least"): DHIS2 has no field for it.
- dataSet: the settings' data set, else the plan's slug; period at the top only when the
  export covers a single period."""

from tracker import progress

from .common import dhis2_period, figure_text


def org_unit(settings):
    return settings.org_unit or settings.plan.country


def data_set(settings):
    return settings.data_set or settings.plan.slug


def combo_of(row, combos):
    """The category option combination a breakdown cell is sent as."""
    mapped = combos.get((row.category_id, row.cross_category_id))
    if mapped:
        return mapped
    codes = [row.category.code] + ([row.cross_category.code] if row.cross_category_id else [])
    return "_".join(codes)


def _comment(qualifier):
    if qualifier == progress.Qualifier.EXACT:
        return {}
    return {"comment": str(progress.Qualifier(qualifier).label)}


def data_values(data):
    """The data values of a ValuesInput, in the order of its values (each total, then its
    cells)."""
    settings = data.settings
    unit = org_unit(settings)
    for value in data.values:
        if value.value is None:
            continue
        common = {
            "dataElement": value.indicator.code,
            "period": dhis2_period(value.period.year, value.period.quarter),
            "orgUnit": unit,
        }
        yield {
            **common,
            "categoryOptionCombo": settings.default_combo,
            "attributeOptionCombo": settings.attribute_option_combo,
            "value": figure_text(value.value),
            **_comment(value.qualifier),
        }
        for row in value.breakdown_rows.all():
            yield {
                **common,
                "categoryOptionCombo": combo_of(row, data.combos),
                "attributeOptionCombo": settings.attribute_option_combo,
                "value": figure_text(row.value),
            }


def data_value_set(data, period_range):
    """The dataValueSets document of a ValuesInput, as a dict ready for json.dumps."""
    document = {"dataSet": data_set(data.settings), "orgUnit": org_unit(data.settings)}
    if period_range.start == period_range.end:
        document["period"] = dhis2_period(*period_range.start)
    document["dataValues"] = list(data_values(data))
    return document
