"""The files of an annual report (DESIGN.md §5): the one place that makes the bytes of its PDF,
XLSX and CSV from a set of figures and a narrative, and the body of its HTML page. Publishing
stores what it makes here (tracker.services.reports), downloads of a published version serve
those stored bytes, and the draft that the reporting staff download is made here once per state
of its figures and kept in the cache, as is the page's body."""

import hashlib
import json

from django.core.cache import caches
from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

from tracker.reports import render as report_render
from tracker.reports.tabular import CSV_TYPE, XLSX_TYPE, csv_bytes, xlsx_bytes

KINDS = ("pdf", "xlsx", "csv")
CONTENT_TYPES = {"pdf": "application/pdf", "xlsx": XLSX_TYPE, "csv": CSV_TYPE}

# Part of every draft's cache key: bump it when a template or a writer changes what a file or the
# page's body looks like, so that no draft made by the previous code is served again.
RENDER_VERSION = 1
# Figures that changed make a new key anyway; this only lets the cache forget stale drafts.
DRAFT_TIMEOUT = 24 * 60 * 60


def filename(*, plan, year, version, language, kind):
    suffix = f"-v{version.number}" if version else "-draft"
    return f"annual-report-{plan.slug}-{year}{suffix}-{language}.{kind}"


def make(*, figures, narrative, plan, year, version, language, kind):
    """The bytes of one file: `figures` are those of `language` (annual.build, or the copy a
    published version keeps); `version` is None for a draft."""
    if kind not in KINDS:
        raise ValueError(f"No report file of kind {kind!r}.")
    with translation.override(language):
        if kind == "csv":
            return csv_bytes(report_render.csv_headers(), report_render.csv_rows(figures))
        if kind == "xlsx":
            return xlsx_bytes(report_render.xlsx_sheets(figures, narrative))
        context = {"plan": plan, "year": year, "version": version}
        return report_render.pdf_bytes({**context, **_body_context(figures, narrative)})


def _body_context(figures, narrative):
    """What tracker/_report_body.html shows, in the active language."""
    return {
        "figures": report_render.present(figures),
        "narrative": [
            (report_render.section_label(name), text) for name, text in narrative.items()
        ],
    }


def make_published(*, version, plan, year, language, kind):
    """The bytes of one file of a published version, from the figures and narrative it kept."""
    return make(
        figures=version.figures_in(language),
        narrative=version.narrative,
        plan=plan,
        year=year,
        version=version,
        language=language,
        kind=kind,
    )


def draft_key(*, figures, narrative, plan, year, language, kind):
    """Changes with any figure, label or narrative text of the draft; the time the figures were
    built is left out, as it changes at every build."""
    state = {
        "figures": {name: value for name, value in figures.items() if name != "built_at"},
        "narrative": narrative,
        "language": language,
        "kind": kind,
        "plan": plan.slug,
        "year": year,
        "render": RENDER_VERSION,
    }
    canonical = json.dumps(state, cls=DjangoJSONEncoder, sort_keys=True, separators=(",", ":"))
    return "annual-report-draft:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def draft(*, figures, narrative, plan, year, language, kind):
    """The draft's bytes, made again only when its figures or narrative have changed."""
    key = draft_key(
        figures=figures, narrative=narrative, plan=plan, year=year, language=language, kind=kind
    )
    return _kept(
        key,
        lambda: make(
            figures=figures,
            narrative=narrative,
            plan=plan,
            year=year,
            version=None,
            language=language,
            kind=kind,
        ),
    )


def html_body(*, figures, narrative, plan, year, language):
    """The report's body as its HTML page shows it (tracker/_report_body.html), a draft's or a
    published version's, rendered again only when its figures, narrative or language change.
    The page needs the figures for the key all the same; what is saved is their formatting and
    the template's hundreds of cells. Nothing of the reader is in it: the page around it holds
    the rights, the forms and the links."""

    def render():
        with translation.override(language):
            return render_to_string("tracker/_report_body.html", _body_context(figures, narrative))

    key = draft_key(
        figures=figures, narrative=narrative, plan=plan, year=year, language=language, kind="html"
    )
    # The template's output, escaped already: safe still if a cache hands back a plain str.
    return mark_safe(_kept(key, render))


def _kept(key, make_it):
    cache = caches["default"]
    data = cache.get(key)
    if data is None:
        data = make_it()
        cache.set(key, data, DRAFT_TIMEOUT)
    return data
