"""python -m bench.pdfmemory [--renders 200] [--warmup 20]: does a worker's memory stay flat
over PDF renderings? Run from a revision's tree (bench/cli.py runs it for the head, and the
base with --compare), it renders the measured plan's draft annual report PDF again and again by
calling tracker.reports.render.pdf_bytes directly (no cache can intervene), with the context
the view builds, and reads its own resident memory (VmRSS) after each. Prints one JSON line:
the RSS after the warm-up renders, at the end, and max - min after the warm-up."""

import argparse
import json
import os
import re
import sys
import time
from pathlib import Path

from .common import SEED, YEAR

FLAT_MB = 10  # the goal: ±10 MB after the warm-up


def rss_mb():
    status = Path("/proc/self/status").read_text()
    return int(re.search(r"^VmRSS:\s*(\d+) kB", status, re.MULTILINE).group(1)) / 1024


def summarize(samples, warmup):
    """The samples (MB after each render) reduced to what RESULTS.md shows."""
    after = samples[warmup - 1 :] if warmup else samples
    spread = max(after) - min(after)
    return {
        "renders": len(samples),
        "warmup": warmup,
        "rss_first_mb": round(samples[0], 1),
        "rss_after_warmup_mb": round(after[0], 1),
        "rss_end_mb": round(samples[-1], 1),
        "spread_mb": round(spread, 1),
        "flat": spread <= FLAT_MB,
    }


def context():
    """The PDF's context as report_export builds it for the live figures (?draft=1)."""
    from tracker.models import AnnualReport, Plan
    from tracker.reports import annual
    from tracker.reports import render as report_render

    plan = Plan.objects.get(slug=f"synthetic-{SEED}-1")
    report = AnnualReport.objects.filter(plan=plan, year=YEAR).first()
    narrative = report.narrative if report else dict.fromkeys(annual.NARRATIVE_SECTIONS, "")
    return {
        "plan": plan,
        "year": YEAR,
        "version": None,
        "figures": report_render.present(annual.build(plan, YEAR)),
        "narrative": [(report_render.section_label(n), t) for n, t in narrative.items()],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--renders", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
    import django

    django.setup()
    from django.utils import translation

    from tracker.reports.render import pdf_bytes

    translation.activate("en")
    pdf_context = context()
    samples, started = [], time.monotonic()
    for done in range(1, args.renders + 1):
        if not pdf_bytes(pdf_context).startswith(b"%PDF"):
            raise SystemExit("pdf_bytes did not return a PDF")
        samples.append(rss_mb())
        if done % 20 == 0:
            print(f"  {done} renders, RSS {samples[-1]:.1f} MB", file=sys.stderr, flush=True)
    result = summarize(samples, min(args.warmup, len(samples)))
    result["seconds_per_render"] = round((time.monotonic() - started) / args.renders, 2)
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
