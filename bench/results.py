"""bench/RESULTS.md as a set of sections all measured on one commit: a comparison of the head
with a base revision per size and database, the throughput through gunicorn, the page weights
in Chromium, the memory of PDF renderings; and the issue's acceptance checked against them.

Each section keeps its data as JSON in the file, so a later run recomputes the acceptance.
Writing a section measured on another commit than those present removes them (they are named
on the console): every ratio in the file compares runs of the same code."""

import json
import re

from . import report
from .common import DB_LABELS, PAGE_ORDER, RESULTS

SQL_RATIO_LIMIT = 3  # an HTML page's median within 3× all its SQL ...
HALVED = 0.5  # ... or at most half the base's
DASHBOARD_GROWTH = 1.1  # dashboard L/S at 100 plans
PUBLISHED_PDF_MS = 50
THROUGHPUT_GAIN = 1.5  # head / base requests per second, table and report
SECTION_ORDER = ["single-S-sqlite", "single-S-postgres", "single-L-sqlite", "single-L-postgres",
                 "compare-S-sqlite", "compare-S-postgres", "compare-L-sqlite",
                 "compare-L-postgres", "throughput", "weights", "pdf-memory"]  # fmt: skip

HEADER = """# Benchmark results

Written by `bench/run.py` (see bench/README.md). Every section below was measured on the same
commit of the code (the *head*); a run on another commit removes the sections of the previous
one. Comparisons with a *base* revision (`--compare`) measure both in the same run, on the same
database, request by request in turn, so that every ratio compares timings taken under the same
load. The load average of the 2-core machine is given at the start and end of each section.
"""


def key_of(section):
    kind = section.get("kind", "single")
    if kind in ("single", "compare"):
        return f"{kind}-{section['size']}-{section['db']}"
    return kind


def merge(sections, section):
    """The sections kept when `section` is written, and the keys removed for being measured on
    another commit."""
    dropped = sorted(k for k, s in sections.items() if s.get("code") != section.get("code"))
    kept = {k: s for k, s in sections.items() if k not in dropped}
    kept[key_of(section)] = section
    return kept, dropped


def read_sections(text):
    sections = {}
    for raw in re.findall(r"<!-- bench-data (.*?) -->", text):
        section = json.loads(raw)
        sections[key_of(section)] = section
    return sections


def write(section):
    existing = read_sections(RESULTS.read_text()) if RESULTS.exists() else {}
    sections, dropped = merge(existing, section)
    for key in dropped:
        print(f"Removed from RESULTS.md, measured on {existing[key].get('code')}: {key}")
    RESULTS.write_text(render(sections))


def render(sections):
    parts = [HEADER]
    for key in SECTION_ORDER:
        if key in sections:
            parts.append(render_section(sections[key]))
    singles = {k.removeprefix("single-"): s for k, s in sections.items() if k.startswith("single-")}
    if singles:
        parts.append(report.render_goals(singles))
    parts.append(render_acceptance(sections))
    return "\n".join(parts).rstrip() + "\n"


def render_section(section):
    kind = section.get("kind", "single")
    if kind == "single":
        return report.render_section(section)
    body = {"compare": compare_lines, "throughput": throughput_lines, "weights": weight_lines,
            "pdf-memory": memory_lines}[kind](section)  # fmt: skip
    # In the order measured: the tables follow the order of the pages in the data.
    data = f"<!-- bench-data {json.dumps(section)} -->"
    return "\n".join([*body, "", data, ""])


def run_line(section):
    base = f" against base {section['base']}" if section.get("base") else ""
    return (
        f"- Head {section['code']}{base}; {section['date']}, {section['duration_s']} s; load "
        f"average {section['load'][0]} at the start, {section['load'][1]} at the end."
    )


def html_verdict(page):
    """Met when the head's median is within 3× all its SQL, or at most half the base's."""
    head, base = page["head"], page["base"]
    if not page.get("html"):
        return "–"
    if head["sql_total"] and head["median"] <= SQL_RATIO_LIMIT * head["sql_total"]:
        return f"met (≤ {SQL_RATIO_LIMIT}× SQL)"
    if base["median"] and head["median"] / base["median"] <= HALVED:
        return "met (halved)"
    return "**not met**"


def compare_lines(section):
    lines = [
        f"## {section['size']} on {DB_LABELS[section['db']]}: head and base",
        "",
        run_line(section),
        f"- Database migrated by the head ({section['code']}); {section['data_line']}",
        f"- {section['repeat']} timed requests per page and revision after the warm-ups, "
        "head and base in turn; medians in ms through Django's test client. *All SQL*: the "
        "execute time of every query of the page (the median of 5 recorded requests for an "
        "HTML page).",
        "",
        "| page | queries head / base | head ms | base ms | head / base | head all SQL ms "
        "| head ÷ all SQL | verdict |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    pages = section["pages"]
    for key in [k for k in PAGE_ORDER if k in pages]:
        page = pages[key]
        head, base = page["head"], page["base"]
        over_sql = head["median"] / head["sql_total"] if head["sql_total"] else None
        lines.append(
            f"| {page['label']} | {head['queries']} / {base['queries']} | {head['median']:.1f} "
            f"| {base['median']:.1f} | {head['median'] / base['median']:.2f} "
            f"| {head['sql_total']:.1f} | {report.fmt(over_sql)} | {html_verdict(page)} |"
        )
    small = pages.get("dashboard", {}).get("small")
    if small:
        growth = dashboard_growth(section)
        lines += ["", f"Dashboard of the same plan at S (head, in the same turns): "
                  f"{small['median']:.1f} ms; L / S = {growth:.2f}."]  # fmt: skip
    for note in section.get("notes", []):
        lines += ["", f"Note: {note}"]
    return lines


def dashboard_growth(section):
    page = section["pages"].get("dashboard", {})
    if not page.get("small"):
        return None
    return page["head"]["median"] / page["small"]["median"]


def throughput_lines(section):
    lines = [
        "## Throughput through gunicorn",
        "",
        run_line(section),
        f"- gunicorn ({section['gunicorn']}) from each revision's tree, {section['workers']} "
        f"workers, settings config.settings.bench; `wrk -t2 -c4 -d{section['seconds']}s`, "
        "signed in; head and base in turn (ABBA), the mean of the runs.",
        "",
        "| page | head req/s | base req/s | head / base | non-2xx (head, base) |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for key, page in section["pages"].items():
        head, base = page["head"], page["base"]
        lines.append(
            f"| {page.get('label', key)} | {head['rps']} | {base['rps']} "
            f"| {head['rps'] / base['rps']:.2f} | {head['non_2xx']}, {base['non_2xx']} |"
        )
    return lines


def weight_lines(section):
    lines = [
        "## Page weights in Chromium",
        "",
        run_line(section),
        "- The head's gunicorn (static files compressed), a cold cache per page; KB = 1000 "
        "bytes transferred (bodies as encoded, headers included) by every request of the page.",
        "",
        "| page | KB | requests | chart | budget KB | verdict | answers ≥ 400 |",
        "| --- | ---: | ---: | --- | ---: | --- | --- |",
    ]
    for page in section["pages"].values():
        lines.append(
            f"| {page['label']} | {page['kb']} | {page['requests']} | "
            f"{'yes' if page['chart'] else 'no'} | {page['budget_kb']} | "
            f"{'met' if page['within'] else '**not met**'} | {', '.join(page['errors']) or '–'} |"
        )
    errors = [error for page in section["pages"].values() for error in page["errors"]]
    missing = sum(error.startswith("404 ") for error in errors)
    lines += ["", f"Answers of 400 and above: {len(errors)} in all, {missing} of them 404."]
    return lines


def memory_lines(section):
    lines = [
        "## Memory over PDF renderings",
        "",
        run_line(section),
        "- `python -m bench.pdfmemory`: the draft annual report PDF rendered by "
        "`tracker.reports.render.pdf_bytes` in one process, VmRSS read after each rendering.",
        "",
        "| revision | renders | s / render | RSS first | after warm-up | end | max - min after "
        "warm-up | flat ±10 MB |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for name, run in section["runs"].items():
        lines.append(
            f"| {name} | {run['renders']} | {run['seconds_per_render']} | {run['rss_first_mb']} "
            f"| {run['rss_after_warmup_mb']} (after {run['warmup']}) | {run['rss_end_mb']} "
            f"| {run['spread_mb']} | {'yes' if run['flat'] else '**no**'} |"
        )
    return lines


def render_acceptance(sections):
    """The issue's acceptance against the sections present; '?' where one is missing."""
    rows = []

    def add(goal, verdict, detail):
        shown = "?" if verdict is None else ("met" if verdict else "**not met**")
        rows.append(f"| {goal} | {shown} | {detail} |")

    large = sections.get("compare-L-postgres")
    growth = dashboard_growth(large) if large else None
    add(f"Dashboard L / S ≤ {DASHBOARD_GROWTH}× (PostgreSQL)",
        None if growth is None else growth <= DASHBOARD_GROWTH,
        "needs the L run with --compare" if growth is None else f"{growth:.2f}×")  # fmt: skip
    if large:
        html = [p for p in large["pages"].values() if p.get("html")]
        failing = [p["label"] for p in html if html_verdict(p) == "**not met**"]
        add(f"HTML pages at L (PostgreSQL) ≤ {SQL_RATIO_LIMIT}× all SQL or halved", not failing,
            "; ".join(failing) or f"all {len(html)}")  # fmt: skip
    else:
        add("HTML pages at L (PostgreSQL) ≤ 3× all SQL or halved", None, "needs the L run")
    published = large["pages"].get("published_pdf") if large else None
    add(f"Published PDF ≤ {PUBLISHED_PDF_MS} ms (L, PostgreSQL)",
        None if not published else published["head"]["median"] <= PUBLISHED_PDF_MS,
        f"{published['head']['median']:.1f} ms" if published else "needs the L run")  # fmt: skip
    memory = sections.get("pdf-memory", {}).get("runs", {}).get("head")
    spread = f"{memory['spread_mb']} MB over {memory['renders']}" if memory else "needs its run"
    add("RSS flat ±10 MB over PDF renderings after warm-up",
        None if not memory else memory["flat"], spread)  # fmt: skip
    speed = sections.get("throughput", {}).get("pages", {})
    gains = {k: p["head"]["rps"] / p["base"]["rps"] for k, p in speed.items()}
    wanted = [k for k in ("table", "report_html") if k in gains]
    add(f"Throughput ≥ {THROUGHPUT_GAIN}× base (table, report)",
        None if len(wanted) < 2 else all(gains[k] >= THROUGHPUT_GAIN for k in wanted),
        ", ".join(f"{k} {gains[k]:.2f}×" for k in wanted) or "needs --throughput")  # fmt: skip
    weights = sections.get("weights", {}).get("pages", {})
    heavy = [f"{p['label']} {p['kb']} KB" for p in weights.values() if not p["within"]]
    add("Page weights within budget (170 KB, 300 KB with a chart)",
        None if not weights else not heavy,
        "; ".join(heavy) or (f"all {len(weights)}" if weights else "needs --weights"))  # fmt: skip
    codes = sorted({str(s.get("code")) for s in sections.values()})
    add("Every section from one commit, with its load average",
        None if not codes else len(codes) == 1 and all("load" in s for s in sections.values()),
        ", ".join(codes) or "no section")  # fmt: skip
    return "\n".join(["## Acceptance", "", f"Measured on: {', '.join(map(str, codes))}.", "",
                      "| goal | verdict | detail |", "| --- | --- | --- |", *rows, ""])  # fmt: skip
