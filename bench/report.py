"""A single revision's section of bench/RESULTS.md in Markdown (with its data as JSON, so later
runs can recompute), and the first goals of the performance issue checked against those
sections (bench/results.py writes the file)."""

import json

from .common import (
    DB_LABELS,
    ENTRY_QUARTER,
    ENTRY_YEAR,
    INDICATORS,
    PAGE_ORDER,
    SECTION_ORDER,
    SEED,
    WARMUPS,
    YEAR,
)

# The goals of the issue, checked on every write of RESULTS.md.
S_SQLITE_PAGE_MS = 150
S_SQLITE_PDF_MS = 3000
S_SQLITE_XLSX_MS = 1000
L_POSTGRES_PAGE_MS = 300
GROWTH_LIMIT = 2
SQL_RATIO_LIMIT = 3
EXPORT_RSS_MB = 200


def render_section(section):
    m = section["machine"]
    d = section["data"]
    db = DB_LABELS[section["db"]]
    versions = f"Python {m['python']}, Django {m['django']}, SQLite {m['sqlite']}"
    if m["postgresql"]:
        versions += f", PostgreSQL {m['postgresql']}"
    generation = section["generation"]
    built = (
        f"generated in this run in {generation['seconds']} s"
        if generation["generated"]
        else "reused from an earlier run"
    )
    plans = d["plans"]
    lines = [
        f"## {section['size']} on {db}",
        "",
        f"- Run: {section['date']}, {section['duration_s']} s in all; "
        f"load average {section['load'][0]} at the start, {section['load'][1]} at the end.",
        f"- Code: {section.get('code', 'unknown')}.",
        f"- Machine: {m['cpu']}, {m['cores']} cores, {m['ram_gb']} GB RAM; {m['os']}; {versions}.",
        f"- Data ({built}): {plans} synthetic plan(s) of {INDICATORS} indicators over 20 "
        f"quarters: {d['values']:,} indicator values + {d['breakdown_rows']:,} breakdown rows "
        f"= **{d['values'] + d['breakdown_rows']:,} values**; database {d['database_mb']} MB. "
        f"Measured plan `synthetic-{SEED}-1`: {d['plan_values']:,} + "
        f"{d['plan_breakdown_rows']:,} = {d['plan_values'] + d['plan_breakdown_rows']:,}.",
        f"- {section['repeat']} timed requests per page after {WARMUPS} warm-ups; year {YEAR}; "
        f"entry period {ENTRY_YEAR}-Q{ENTRY_QUARTER}.",
        "",
        "| page | queries | median ms | p95 ms | main SQL ms | ratio | all SQL ms | peak MB |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    pages = ordered_pages(section)
    for result in pages:
        lines.append(
            f"| {result['label']} | {result['queries']} | {result['median']:.1f} "
            f"| {result['p95']:.1f} | {fmt(result['main_sql'])} | {fmt(result['ratio'])} "
            f"| {result['sql_total']:.1f} | {fmt(result['peak_mb'])} |"
        )
    export = section["export"]
    if export:
        lines += [
            "",
            f"Full CSV export of every value (`manage.py export_values`, a child process): "
            f"{export['lines']:,} lines ({export['file_mb']} MB) in {export['seconds']} s; "
            f"**peak RSS {export['peak_rss_mb']} MB** (Django alone: {export['idle_rss_mb']} MB); "
            f"its main query alone, fully fetched: {export['main_sql_s']} s.",
        ]
    for note in section.get("notes", []):
        lines += ["", f"Note: {note}"]
    lines += ["", "<details><summary>Slowest queries of each page</summary>", ""]
    for result in pages:
        lines.append(f"- {result['label']}: main query = {result['main_label']}")
        for query in result["slowest"]:
            lines.append(f"  - {query['ms']:.1f} ms `{query['sql']}`")
    lines += ["", "</details>", ""]
    lines.append(f"<!-- bench-data {json.dumps(section, sort_keys=True)} -->")
    return "\n".join(lines)


def ordered_pages(section):
    pages = section["pages"]
    return [pages[key] for key in PAGE_ORDER if key in pages]


def fmt(value):
    return "–" if value is None else f"{value:.1f}"


def render_goals(sections):
    """The issue's goals against the latest runs; '?' where a run is missing."""
    rows = []

    def add(goal, failures, detail, known=True):
        verdict = "?" if not known else ("**not met**" if failures else "met")
        rows.append(f"| {goal} | {verdict} | {'; '.join(failures) or detail} |")

    for db, label in DB_LABELS.items():
        small, large = sections.get(f"S-{db}"), sections.get(f"L-{db}")
        same = f"Query counts identical at S and L ({label})"
        growth = f"S→L median growth < {GROWTH_LIMIT}× ({label})"
        if not (small and large):
            add(same, [], "needs the S and L runs", known=False)
            add(growth, [], "needs the S and L runs", known=False)
            continue
        pairs = [
            (small["pages"][key], large["pages"][key])
            for key in PAGE_ORDER
            if key in small["pages"] and key in large["pages"]
        ]
        add(
            same,
            [f"{s['label']} {s['queries']}→{g['queries']}" for s, g in pairs
             if s["queries"] != g["queries"]],
            "all equal",
        )  # fmt: skip
        factors = [(g["median"] / s["median"], s["label"]) for s, g in pairs]
        worst = max(factors)
        add(
            growth,
            [f"{name} ×{factor:.1f}" for factor, name in factors if factor >= GROWTH_LIMIT],
            f"worst ×{worst[0]:.2f} ({worst[1]})",
        )
    for key in SECTION_ORDER:
        if key not in sections:
            continue
        size, db = key.split("-")
        add(
            f"Median within {SQL_RATIO_LIMIT}× of main SQL ({size}, {DB_LABELS[db]})",
            [f"{r['label']} ×{r['ratio']:.1f}" for r in ordered_pages(sections[key])
             if r["ratio"] is not None and r["ratio"] > SQL_RATIO_LIMIT],
            "all within",
        )  # fmt: skip
    budgets = [("S-sqlite", S_SQLITE_PAGE_MS), ("L-postgres", L_POSTGRES_PAGE_MS)]
    for key, limit in budgets:
        size, db = key.split("-")
        goal = f"{size}, {DB_LABELS[db]}: every page < {limit} ms median"
        if key not in sections:
            add(goal, [], f"needs the {size} run on {DB_LABELS[db]}", known=False)
            continue
        pages = sections[key]["pages"]
        add(
            goal,
            [f"{pages[k]['label']} {pages[k]['median']:.0f} ms" for k in PAGE_ORDER
             if k in pages and k not in ("report_pdf", "report_xlsx")
             and pages[k]["median"] >= limit],
            "all under",
        )  # fmt: skip
        if key == "S-sqlite":
            for page_key, export_limit, name in (
                ("report_pdf", S_SQLITE_PDF_MS, "PDF"),
                ("report_xlsx", S_SQLITE_XLSX_MS, "XLSX"),
            ):
                if page_key in pages:
                    median = pages[page_key]["median"]
                    add(
                        f"S, SQLite: {name} < {export_limit / 1000:g} s",
                        [f"{median:.0f} ms"] if median >= export_limit else [],
                        f"{median:.0f} ms",
                    )
    exports = [
        (key, sections[key]["export"])
        for key in SECTION_ORDER
        if key in sections and sections[key]["export"]
    ]
    add(
        f"Full CSV export streams under {EXPORT_RSS_MB} MB",
        [f"{key} {e['peak_rss_mb']} MB" for key, e in exports if e["peak_rss_mb"] >= EXPORT_RSS_MB],
        ", ".join(f"{key} {e['peak_rss_mb']} MB" for key, e in exports),
        known=bool(exports),
    )
    codes = {sections[key].get("code", "unknown") for key in SECTION_ORDER if key in sections}
    same_code = (
        f"All sections measured on the same code ({codes.pop()})."
        if len(codes) == 1
        else "**The sections were measured on different code**: compare them with care."
    )
    return "\n".join(
        [
            "## Goals",
            "",
            same_code,
            "",
            "PDF and XLSX have their own budgets and are left out of *every page*; the annual "
            "report's CSV counts as a page.",
            "",
            "| goal | verdict | detail |",
            "| --- | --- | --- |",
            *rows,
            "",
        ]
    )
