"""An IATI 2.03 activity file (https://iatistandard.org/en/iati-standard/203/) for a plan: one
iati-activity whose results are the plan's results, each indicator with its baseline and, for
each year of the plan, its annual target and its validated figure (the year's figure every
page shows: tracker.figures), the figure's breakdown as further actuals with a dimension per
category (sex, region) and, for a region, a location declared on the activity.

Identifiers come from the plan's exchange settings: the reporting organisation's (default the
lead institution's acronym) and the activity's (default that, a dash and the plan's slug).
Titles and descriptions carry the French and the English text. A figure given as a bound
says so in its comment."""

import xml.etree.ElementTree as ET

from django.utils.translation import override

from tracker import progress
from tracker.models import Indicator, Institution

from .common import figure_text

VERSION = "2.03"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"
# IATI code lists: IndicatorMeasure, OrganisationType.
MEASURES = {
    Indicator.UnitKind.COUNT: "1",
    Indicator.UnitKind.AMOUNT: "1",
    Indicator.UnitKind.PERCENTAGE: "2",
    Indicator.UnitKind.MILESTONE: "3",
    Indicator.UnitKind.SCALE: "4",
    Indicator.UnitKind.RANK: "4",
}
ORGANISATION_TYPES = {
    Institution.Kind.MINISTRY: "10",
    Institution.Kind.PARLIAMENT: "10",
    Institution.Kind.PUBLIC_BODY: "15",
    Institution.Kind.COORDINATION: "10",
    Institution.Kind.CSO: "22",
    Institution.Kind.UN_AGENCY: "40",
    Institution.Kind.PEACE_MECHANISM: "15",
}
OWN_VOCABULARY = "99"  # the reporting organisation's own codes
OUTCOME = "2"
ACCOUNTABLE, IMPLEMENTING = "2", "4"
PLANNED_START, ACTUAL_START, PLANNED_END = "1", "2", "3"


def reporting_org_ref(settings):
    plan = settings.plan
    if settings.iati_reporting_org_ref:
        return settings.iati_reporting_org_ref
    lead = plan.lead_institution
    return (lead.acronym_fr or lead.acronym or lead.name) if lead else plan.country


def iati_identifier(settings):
    return settings.iati_identifier or f"{reporting_org_ref(settings)}-{settings.plan.slug}"


def _narratives(parent, texts):
    """A narrative per language with text ({language: text}); the plan's language needs no
    xml:lang (the activity's default), the others say theirs. At least one, as IATI asks."""
    written = {language: text for language, text in texts.items() if text}
    if not written:
        written = {DEFAULT_LANGUAGE: "-"}
    for language, text in written.items():
        narrative = ET.SubElement(parent, "narrative")
        if language != DEFAULT_LANGUAGE:
            narrative.set(XML_LANG, language)
        narrative.text = text


def _translated(record, field, prefix=""):
    return {
        language: f"{prefix}{value}" if (value := getattr(record, f"{field}_{language}")) else ""
        for language in LANGUAGES
    }


def _comment(parent, texts):
    _narratives(ET.SubElement(parent, "comment"), texts)


def _status(plan, today):
    if today.year < plan.start_year:
        return "1"  # pipeline
    return "2" if today.year <= plan.end_year else "3"  # implementation, completion


def _head(activity, data, today):
    plan, settings = data.plan, data.settings
    ET.SubElement(activity, "iati-identifier").text = iati_identifier(settings)
    reporting = ET.SubElement(
        activity,
        "reporting-org",
        {"ref": reporting_org_ref(settings), "type": settings.iati_reporting_org_type},
    )
    lead = plan.lead_institution
    _narratives(reporting, _translated(lead, "name") if lead else {DEFAULT_LANGUAGE: plan.country})
    _narratives(ET.SubElement(activity, "title"), _translated(plan, "title"))
    aim = _translated(plan, "aim")
    _narratives(
        ET.SubElement(activity, "description", {"type": "1"}),
        aim if any(aim.values()) else _translated(plan, "title"),
    )
    if lead:
        _participant(activity, lead, ACCOUNTABLE, settings.iati_reporting_org_type)
    for institution in data.institutions:
        if institution.pk != plan.lead_institution_id:
            _participant(activity, institution, IMPLEMENTING)
    if activity.find("participating-org") is None:  # IATI asks for one at least
        accountable = ET.SubElement(
            activity, "participating-org", {"role": ACCOUNTABLE, "ref": reporting_org_ref(settings)}
        )
        _narratives(accountable, {DEFAULT_LANGUAGE: plan.country})
    ET.SubElement(activity, "activity-status", {"code": _status(plan, today)})
    ET.SubElement(
        activity, "activity-date", {"type": PLANNED_START, "iso-date": f"{plan.start_year}-01-01"}
    )
    if plan.signed_on:
        ET.SubElement(
            activity,
            "activity-date",
            {"type": ACTUAL_START, "iso-date": plan.signed_on.isoformat()},
        )
    ET.SubElement(
        activity, "activity-date", {"type": PLANNED_END, "iso-date": f"{plan.end_year}-12-31"}
    )
    if settings.recipient_country:
        ET.SubElement(activity, "recipient-country", {"code": settings.recipient_country})
    for region in sorted(data.regions.values(), key=lambda region: region.code):
        location = ET.SubElement(activity, "location", {"ref": region.code})
        _narratives(ET.SubElement(location, "name"), {DEFAULT_LANGUAGE: region.name})


def _participant(activity, institution, role, kind=None):
    attributes = {"role": role}
    kind = kind or ORGANISATION_TYPES.get(institution.kind)
    if kind:
        attributes["type"] = kind
    _narratives(
        ET.SubElement(activity, "participating-org", attributes), _translated(institution, "name")
    )


def _cells(parent, cell, regions):
    """The location (for a region) and the dimensions of a breakdown cell."""
    categories = [cell.category] + ([cell.cross_category] if cell.cross_category else [])
    for category in categories:
        if category.region_id in regions:
            ET.SubElement(parent, "location", {"ref": regions[category.region_id].code})
    for category in categories:
        ET.SubElement(
            parent, "dimension", {"name": category.dimension.code, "value": category.code}
        )


def _period(indicator_node, figure, regions):
    if figure is None or (figure.annual_value is None and figure.annual_target is None):
        return
    period = ET.SubElement(indicator_node, "period")
    ET.SubElement(period, "period-start", {"iso-date": f"{figure.year}-01-01"})
    ET.SubElement(period, "period-end", {"iso-date": f"{figure.year}-12-31"})
    if figure.annual_target is not None:
        ET.SubElement(period, "target", {"value": figure_text(figure.annual_target)})
    if figure.annual_value is None:
        return
    actual = ET.SubElement(period, "actual", {"value": figure_text(figure.annual_value)})
    if figure.annual_qualifier != progress.Qualifier.EXACT:
        _comment(actual, _labels(progress.Qualifier(figure.annual_qualifier)))
    for cell in figure.breakdown:
        _cells(ET.SubElement(period, "actual", {"value": figure_text(cell.value)}), cell, regions)


def _labels(choice):
    labels = {}
    for language in LANGUAGES:
        with override(language):
            labels[language] = str(choice.label)
    return labels


def _indicator(result_node, indicator, data):
    attributes = {
        "measure": MEASURES[indicator.unit_kind],
        "ascending": "1" if indicator.direction == Indicator.Direction.INCREASE else "0",
    }
    node = ET.SubElement(result_node, "indicator", attributes)
    _narratives(ET.SubElement(node, "title"), _translated(indicator, "name", f"{indicator.code} "))
    definition = _translated(indicator, "definition")
    if any(definition.values()):
        _narratives(ET.SubElement(node, "description"), definition)
    ET.SubElement(node, "reference", {"vocabulary": OWN_VOCABULARY, "code": indicator.code})
    for tag in indicator.alignment_tags.all():
        ET.SubElement(node, "reference", {"vocabulary": OWN_VOCABULARY, "code": str(tag)})
    if indicator.baseline_year is not None:
        baseline = ET.SubElement(node, "baseline", {"year": str(indicator.baseline_year)})
        if indicator.baseline_value is not None:
            baseline.set("value", figure_text(indicator.baseline_value))
        if indicator.baseline_citation_id:
            _comment(baseline, {DEFAULT_LANGUAGE: indicator.baseline_citation.citation})
    for year in data.plan.years:
        _period(node, data.years[year].get(indicator.pk), data.regions)


def iati_activities(data, generated):
    """The iati-activities document of a ResultsInput, as UTF-8 bytes; `generated` is the
    date and time of the export (its day sets the activity's status)."""
    root = ET.Element(
        "iati-activities",
        {"version": VERSION, "generated-datetime": generated.isoformat(timespec="seconds")},
    )
    activity = ET.SubElement(
        root,
        "iati-activity",
        {
            "last-updated-datetime": generated.isoformat(timespec="seconds"),
            XML_LANG: DEFAULT_LANGUAGE,
        },
    )
    _head(activity, data, generated.date())
    for result in data.results:
        if not result.exchange_indicators:
            continue  # IATI asks for at least one indicator in a result
        node = ET.SubElement(activity, "result", {"type": OUTCOME, "aggregation-status": "0"})
        _narratives(
            ET.SubElement(node, "title"), _translated(result, "statement", f"{result.code} ")
        )
        for indicator in result.exchange_indicators:
            _indicator(node, indicator, data)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
