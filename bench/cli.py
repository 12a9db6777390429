"""The performance benchmark (see bench/README.md).

    python bench/run.py --size S|L --db sqlite|postgres [--repeat 20]
        [--compare REV [--throughput]] [--weights] [--pdf-memory [N]]

Builds the database of the size once (synthetic plans, `manage.py generate_synthetic`), then
times each page through Django's test client: median and 95th percentile wall time, the
number of SQL queries, the page's main aggregate query alone, and the peak memory of the
exports. Writes its section of bench/RESULTS.md and prints it.

This module reads the command line and runs the steps, each from its own module: databases
(SQLite or PostgreSQL), dataset (the synthetic plans), pages (what is measured), measure
(timing), report and results (RESULTS.md); with --compare, --throughput, --weights or
--pdf-memory, suite runs those (see bench/README.md)."""

import argparse
import datetime
import importlib
import os
import platform
import re
import sqlite3
import subprocess
import time
from pathlib import Path

import django

from . import databases, report, results
from .common import DB_LABELS, RESULTS, ROOT, SIZES


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SIZES), required=True)
    parser.add_argument("--db", choices=sorted(DB_LABELS), required=True)
    parser.add_argument("--repeat", type=int, default=20, help="timed runs per page")
    parser.add_argument("--only", help="comma-separated page keys, for a quick look")
    parser.add_argument(
        "--profile", action="store_true", help="print a cProfile summary of each page"
    )
    parser.add_argument("--no-write", action="store_true", help="do not touch RESULTS.md")
    parser.add_argument(
        "--compare", metavar="REV", help="measure REV (the base) beside the head, in turn"
    )
    parser.add_argument(
        "--throughput", action="store_true", help="wrk through gunicorn (always at L)"
    )
    parser.add_argument("--wrk-seconds", type=int, default=15, help="each wrk run (default 15)")
    parser.add_argument("--weights", action="store_true", help="page weights in Chromium")
    parser.add_argument(
        "--pdf-memory", type=int, nargs="?", const=200, metavar="N",
        help="RSS over N PDF renderings in one process (default 200)",
    )  # fmt: skip
    parser.add_argument(
        "--pdf-memory-base", action="store_true", help="also the base's PDF memory (slow)"
    )
    args = parser.parse_args()
    if args.throughput and not args.compare:
        parser.error("--throughput compares revisions: give --compare REV")
    if args.pdf_memory_base and not (args.compare and args.pdf_memory):
        parser.error("--pdf-memory-base needs --compare REV and --pdf-memory")
    return args


def main():
    args = parse_args()
    os.environ["BENCH_SIZE"] = args.size
    os.environ["BENCH_DB"] = args.db
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.bench"
    os.chdir(ROOT)
    started = time.monotonic()
    load_start = os.getloadavg()
    code = code_version()  # before measuring: others may commit meanwhile
    if args.db == "postgres":
        databases.ensure_postgres_database()
    # The application loaded as a WSGI server loads it (config/wsgi.py sets Django up).
    importlib.import_module("config.wsgi")
    # These read the models, which exist once Django is set up.
    from . import dataset, measure
    from .pages import Scenario

    databases.migrate()
    generation = dataset.generate_missing(args.size)
    databases.analyze()
    scenario = Scenario()
    if args.compare or args.weights or args.pdf_memory:
        return run_suite(args, code, scenario)
    pages = scenario.pages()
    if args.only:
        wanted = set(args.only.split(","))
        pages = [page for page in pages if page.key in wanted]
    results = {}
    for page in pages:
        print(f"{page.label} ...", end=" ", flush=True)
        result = results[page.key] = measure.measure(page, args.repeat)
        print(f"{result['median']:.1f} ms median, {result['queries']} queries", flush=True)
        if args.profile:
            print(measure.profile(page))
    export = None if args.only else measure.full_export()
    section = {
        "kind": "single",
        "size": args.size,
        "db": args.db,
        "date": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "duration_s": round(time.monotonic() - started),
        "load": [round(load_start[0], 2), round(os.getloadavg()[0], 2)],
        "repeat": args.repeat,
        "machine": machine(args.db),
        "code": code,
        "data": dataset.counts(scenario.plan),
        "generation": generation,
        "pages": results,
        "export": export,
        "notes": scenario.notes,
    }
    text = report.render_section(section)
    print()
    print(text)
    if not args.no_write and not args.only:
        results.write(section)
        print(f"Written to {RESULTS.relative_to(ROOT)}.")


def run_suite(args, code, scenario):
    """--compare, --throughput, --weights, --pdf-memory: each section printed and written."""
    from . import dataset, suite

    d = dataset.counts(scenario.plan)
    data_line = (
        f"{d['plans']} synthetic plan(s): {d['values']:,} indicator values + "
        f"{d['breakdown_rows']:,} breakdown rows; database {d['database_mb']} MB; measured "
        f"plan `{scenario.plan.slug}`: {d['plan_values']:,} + {d['plan_breakdown_rows']:,}."
    )
    for section in suite.run(args, code, scenario, data_line):
        print()
        print(results.render_section(section))
        if not args.no_write and not args.only:
            results.write(section)
            print(f"Written to {RESULTS.relative_to(ROOT)}.")


def code_version():
    """The commit measured, and whether the working tree differed from it."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
        # The results and the notes on them are not the code measured.
        dirty = subprocess.run(
            [
                "git",
                "status",
                "--porcelain",
                "--untracked-files=no",
                "--",
                ".",
                ":!bench/RESULTS.md",
                ":!bench/README.md",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{commit} with uncommitted changes" if dirty else commit


def machine(db):
    """The machine and the versions measured on."""
    cpu = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), re.MULTILINE)
        cpu = found.group(1).strip() if found else cpu
    ram = None
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        found = re.search(r"^MemTotal:\s*(\d+) kB", meminfo.read_text(), re.MULTILINE)
        ram = round(int(found.group(1)) / 2**20, 1) if found else None
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gb": ram,
        "os": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": databases.postgres_version() if db == "postgres" else None,
    }
