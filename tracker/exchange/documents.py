"""One entry point for every export, so that the API and the plan's export page serve the
same bytes: export(kind, plan, period range, now) → (content, content type, file name)."""

import json

from . import adx, dhis2, iati, reads

KINDS = ("dhis2", "adx", "iati")


def export(kind, plan, period_range, now):
    stamp = now.strftime("%Y%m%d")
    if kind == "dhis2":
        document = dhis2.data_value_set(reads.values_input(plan, period_range), period_range)
        content = json.dumps(document, ensure_ascii=False, indent=1).encode()
        return content, "application/json", f"{plan.slug}-dhis2-{stamp}.json"
    if kind == "adx":
        content = adx.adx_document(reads.values_input(plan, period_range), now)
        return content, "application/adx+xml", f"{plan.slug}-adx-{stamp}.xml"
    if kind == "iati":
        content = iati.iati_activities(reads.results_input(plan), now)
        return content, "application/xml", f"{plan.slug}-iati-{stamp}.xml"
    raise ValueError(f"Unknown export: {kind!r}")
