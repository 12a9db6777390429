"""The annual report PDF reuses one font configuration, so a worker's memory stays flat.

Building a Fontconfig configuration for each document left about 0.2 MB behind in the C
libraries per report; the memory itself is measured outside the tests (README, "Production
server"), these pin the cause away."""

import io
import threading

import pytest
from pypdf import PdfReader
from weasyprint.text.fonts import FontConfiguration

from tracker.reports import annual
from tracker.reports import render as report_render

pytestmark = pytest.mark.django_db


@pytest.fixture
def context(plan):
    year = plan.years[0]
    return {
        "plan": plan,
        "year": year,
        "version": None,
        "figures": report_render.present(annual.build(plan, year)),
        "narrative": [
            (report_render.section_label(name), f"Le texte de la section {name}.")
            for name in annual.NARRATIVE_SECTIONS
        ],
    }


@pytest.fixture
def configurations_built(monkeypatch):
    """How many font configurations WeasyPrint builds, from a process that has none yet."""
    built = []
    original = FontConfiguration.__init__

    def counting(self, *args, **kwargs):
        built.append(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(FontConfiguration, "__init__", counting)
    report_render._fonts.cache_clear()
    yield built
    report_render._fonts.cache_clear()


def text_of(pdf):
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_reports_share_one_font_configuration(context, configurations_built):
    first = report_render.pdf_bytes(context)
    second = report_render.pdf_bytes(context)
    assert len(configurations_built) == 1
    assert text_of(first) == text_of(second)
    assert "Le texte de la section" in text_of(second)


def test_reports_rendered_at_once_in_two_threads_are_both_whole(context, configurations_built):
    expected = text_of(report_render.pdf_bytes(context))
    results = []

    def render():
        results.append(report_render.pdf_bytes(context))

    threads = [threading.Thread(target=render) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [text_of(pdf) for pdf in results] == [expected, expected]
    assert len(configurations_built) == 1
