"""ADX, the IHE profile for aggregate data exchange (urn:ihe:qrph:adx:2015), which DHIS2 and
other systems import: one group per period (orgUnit, period in ISO 8601 as 2021-07-01/P3M,
dataSet), one dataValue per validated figure and per breakdown cell, the cell's categories as
attributes named by their dimension's code (sex="women" region="mopti"). A bound's qualifier
travels in the dataValue's annotation. The tests validate it against the loose schema in
tests/data/adx/adx_loose.xsd."""

import re
import xml.etree.ElementTree as ET
from itertools import groupby

from tracker import progress

from .common import figure_text, iso_period
from .dhis2 import data_set, org_unit

NAMESPACE = "urn:ihe:qrph:adx:2015"
# Attributes the profile reserves on a dataValue: a dimension called so is renamed.
RESERVED = {"dataElement", "value", "orgUnit", "period", "dataSet"}
NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9._-]*$")


def attribute_name(dimension_code):
    """A dimension's code as an XML attribute name (a slug may start with a digit)."""
    if NAME.match(dimension_code) and dimension_code not in RESERVED:
        return dimension_code
    return f"dim_{dimension_code}"


def _data_value(group, element, value, categories=(), qualifier=progress.Qualifier.EXACT):
    attributes = {"dataElement": element, "value": figure_text(value)}
    for category in categories:
        attributes[attribute_name(category.dimension.code)] = category.code
    node = ET.SubElement(group, "dataValue", attributes)
    if qualifier != progress.Qualifier.EXACT:
        ET.SubElement(node, "annotation").text = str(progress.Qualifier(qualifier).label)


def adx_document(data, exported):
    """The ADX message of a ValuesInput, as UTF-8 bytes; `exported` is its date and time."""
    # The namespace is written as the root's default one (<adx xmlns="urn:ihe:qrph:adx:2015">),
    # as in the profile's examples; ElementTree's namespace options would either prefix every
    # element or refuse the unqualified attributes, or hang on its process-wide prefix table.
    root = ET.Element(
        "adx", {"xmlns": NAMESPACE, "exported": exported.isoformat(timespec="seconds")}
    )
    unit, dataset = org_unit(data.settings), data_set(data.settings)
    values = [value for value in data.values if value.value is not None]
    for period, in_period in groupby(values, key=lambda value: value.period):
        group = ET.SubElement(
            root,
            "group",
            {
                "orgUnit": unit,
                "period": iso_period(period.year, period.quarter),
                "dataSet": dataset,
            },
        )
        for value in in_period:
            code = value.indicator.code
            _data_value(group, code, value.value, qualifier=value.qualifier)
            for row in value.breakdown_rows.all():
                categories = [row.category] + (
                    [row.cross_category] if row.cross_category_id else []
                )
                _data_value(group, code, row.value, categories)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
