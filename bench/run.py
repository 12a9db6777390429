#!/usr/bin/env python
"""The performance benchmark (see bench/README.md).

    python bench/run.py --size S|L --db sqlite|postgres [--repeat 20]

Builds the database of the size once (synthetic plans, `manage.py generate_synthetic`), then
times each page through Django's test client: median and 95th percentile wall time, the
number of SQL queries, the page's main aggregate query alone, and the peak memory of the
exports. Writes its section of bench/RESULTS.md and prints it."""

import argparse
import cProfile
import datetime
import io
import json
import math
import os
import platform
import pstats
import re
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "RESULTS.md"
SEED = 1325
INDICATORS = 60
SIZES = {"S": 1, "L": 100}  # plans of 60 indicators over 2019-2023
YEAR = 2021
ENTRY_YEAR, ENTRY_QUARTER = 2023, 4
PAGE_ORDER = [
    "dashboard",
    "table",
    "indicator",
    "entry_get",
    "entry_post",
    "validation",
    "report_html",
    "report_pdf",
    "report_xlsx",
    "report_csv",
]
SECTION_ORDER = ["S-sqlite", "S-postgres", "L-sqlite", "L-postgres"]
DB_LABELS = {"sqlite": "SQLite", "postgres": "PostgreSQL"}
WARMUPS = 2

# The goals of the issue, checked on every write of RESULTS.md.
S_SQLITE_PAGE_MS = 150
S_SQLITE_PDF_MS = 3000
S_SQLITE_XLSX_MS = 1000
L_POSTGRES_PAGE_MS = 300
GROWTH_LIMIT = 2
SQL_RATIO_LIMIT = 3
EXPORT_RSS_MB = 200


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
    return parser.parse_args()


def main():
    args = parse_args()
    os.environ["BENCH_SIZE"] = args.size
    os.environ["BENCH_DB"] = args.db
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.bench"
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    started = time.monotonic()
    load_start = os.getloadavg()
    code = code_version()  # before measuring: others may commit meanwhile
    if args.db == "postgres":
        ensure_postgres_database()

    import django

    django.setup()

    generation = prepare_data(args.size, args.db)
    bench = Bench(args)
    bench.setup()
    pages = bench.pages()
    if args.only:
        wanted = set(args.only.split(","))
        pages = [page for page in pages if page.key in wanted]
    for page in pages:
        print(f"{page.label} ...", end=" ", flush=True)
        result = bench.measure(page)
        print(f"{result['median']:.1f} ms median, {result['queries']} queries", flush=True)
        if args.profile:
            print(bench.profile(page))
    export = None if args.only else bench.full_export()
    section = {
        "size": args.size,
        "db": args.db,
        "date": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "duration_s": round(time.monotonic() - started),
        "load": [round(load_start[0], 2), round(os.getloadavg()[0], 2)],
        "repeat": args.repeat,
        "machine": machine(args.db),
        "code": code,
        "data": data_counts(bench.plan),
        "generation": generation,
        "pages": bench.results,
        "export": export,
        "notes": bench.notes,
    }
    text = render_section(section)
    print()
    print(text)
    if not args.no_write and not args.only:
        write_results(section)
        print(f"Written to {RESULTS.relative_to(ROOT)}.")


# Database


def ensure_postgres_database():
    """Creates nap1325_bench_<size> on the server when missing (the tests' user may)."""
    import psycopg
    from django.conf import settings

    config = settings.DATABASES["default"]
    connection = psycopg.connect(
        dbname="postgres",
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
        autocommit=True,
    )
    with connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{config["NAME"]}"')


def prepare_data(size, db):
    """Migrates, generates the missing synthetic plans (each plan is one transaction, so a
    plan that exists is complete), refreshes PostgreSQL's statistics."""
    from django.core.management import call_command
    from django.db import connection

    from tracker.models import Plan

    call_command("migrate", interactive=False, verbosity=0)
    wanted = SIZES[size]
    present = Plan.objects.filter(slug__startswith=f"synthetic-{SEED}-").count()
    result = {"generated": False, "seconds": None}
    if present < wanted:
        print(f"Generating {wanted - present} synthetic plan(s) ...", flush=True)
        started = time.monotonic()
        call_command("generate_synthetic", plans=wanted, indicators=INDICATORS, seed=SEED)
        result = {"generated": True, "seconds": round(time.monotonic() - started, 1)}
    if connection.vendor == "postgresql":
        # Autovacuum would do this after a bulk load; measuring before it ran would measure
        # plans made without statistics.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return result


def data_counts(plan):
    from django.db import connection

    from tracker.models import BreakdownRow, Indicator, IndicatorValue, Plan

    counts = {
        "plans": Plan.objects.filter(country="Synthetic").count(),
        "indicators": Indicator.objects.count(),
        "values": IndicatorValue.objects.count(),
        "breakdown_rows": BreakdownRow.objects.count(),
        "plan_values": IndicatorValue.objects.filter(indicator__plan=plan).count(),
        "plan_breakdown_rows": BreakdownRow.objects.filter(
            indicator_value__indicator__plan=plan
        ).count(),
    }
    if connection.vendor == "sqlite":
        counts["database_mb"] = round(
            Path(connection.settings_dict["NAME"]).stat().st_size / 2**20, 1
        )
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            counts["database_mb"] = round(cursor.fetchone()[0] / 2**20, 1)
    return counts


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
    import django
    from django.db import connection

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
    import sqlite3

    info = {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gb": ram,
        "os": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": None,
    }
    if db == "postgres":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            info["postgresql"] = cursor.fetchone()[0]
    return info


# Pages


@dataclass
class Page:
    key: str
    label: str
    client: object
    url: str
    main_sql: tuple  # callables(sql) -> bool: the page's main aggregate queries
    main_label: str
    method: str = "get"
    post_data: object = None  # callable() -> dict, built before each timed POST
    expected: int = 200
    export: bool = False  # measure peak memory
    results: dict = field(default_factory=dict)


def year_figures_sql(sql):
    # tracker.figures.year_figures joins the year's validated values under this alias.
    return "year_values" in sql and "tracker_indicator" in sql


def breakdown_sql(sql):
    # tracker.figures._breakdowns: the year's validated breakdown rows.
    return sql.startswith("SELECT") and 'FROM "tracker_breakdownrow"' in sql and "IN (" in sql


def entry_values_sql(sql):
    # entry_rows: this period's values of the institution's indicators.
    return (
        sql.startswith("SELECT")
        and 'FROM "tracker_indicatorvalue"' in sql
        and '"tracker_indicatorvalue"."period_id" = %s' in sql
        and "latest_id" not in sql
    )


def queue_sql(sql):
    # The page of submitted values (not the paginator's COUNT).
    return (
        sql.startswith("SELECT")
        and 'FROM "tracker_indicatorvalue"' in sql
        and "LIMIT" in sql
        and "COUNT(" not in sql
    )


class Bench:
    def __init__(self, args):
        self.args = args
        self.results = {}
        self.notes = []

    def setup(self):
        from django.contrib.auth.models import Group
        from django.test import Client

        from tracker import roles
        from tracker.models import Plan, User

        self.plan = Plan.objects.get(slug=f"synthetic-{SEED}-1")
        self.entry_period = self.plan.reporting_periods.get(year=ENTRY_YEAR, quarter=ENTRY_QUARTER)
        self.institution, self.edit_indicator = self.entry_choice()
        users = {}
        for username, role, institution in (
            ("bench-secretariat", roles.SECRETARIAT, None),
            ("bench-staff", roles.REPORTING_STAFF, None),
            ("bench-member", roles.COMMITTEE_MEMBER, self.institution),
        ):
            user, _created = User.objects.get_or_create(username=username)
            user.institution = institution
            user.set_unusable_password()
            user.save()
            user.groups.set([Group.objects.get(name=role)])
            users[username] = user
        self.clients = {}
        for name, user in users.items():
            client = Client()
            client.force_login(user)
            self.clients[name] = client

    def entry_choice(self):
        """The institution whose entry page the benchmark uses, and the indicator its member
        edits: the institution with the most editable percentages this period (ties: most
        indicators), so the POST changes a numerator like a real correction."""
        from django.db.models import Count, Q

        from tracker.models import Indicator, IndicatorValue, Institution

        editable = IndicatorValue.objects.filter(
            period=self.entry_period,
            status__in=[IndicatorValue.Status.DRAFT, IndicatorValue.Status.RETURNED],
            indicator__unit_kind=Indicator.UnitKind.PERCENTAGE,
        )
        editable_ids = list(editable.values_list("indicator_id", flat=True))
        institution = (
            Institution.objects.filter(indicators__plan=self.plan)
            .annotate(
                editable=Count("indicators", filter=Q(indicators__pk__in=editable_ids)),
                total=Count("indicators"),
            )
            .order_by("-editable", "-total", "pk")
            .first()
        )
        indicator = (
            Indicator.objects.filter(
                plan=self.plan, responsible_institutions=institution, pk__in=editable_ids
            )
            .order_by("code")
            .first()
        )
        return institution, indicator

    def pages(self):
        from tracker.models import Indicator

        slug = self.plan.slug
        base = f"/plans/{slug}"
        detail = (
            Indicator.objects.filter(
                plan=self.plan, unit_kind="count", aggregation="sum", dimensions__code="region"
            )
            .filter(dimensions__code="sex")
            .order_by("code")
            .first()
        )
        secretariat = self.clients["bench-secretariat"]
        staff = self.clients["bench-staff"]
        entry = f"{base}/periods/{ENTRY_YEAR}-Q{ENTRY_QUARTER}/"
        post_client, post_url, post_label = self.entry_poster(entry)
        figures = (year_figures_sql,)
        figures_label = "year_figures (tracker.figures)"
        with_breakdown = (year_figures_sql, breakdown_sql)
        breakdown_label = "year_figures: its aggregate query + its breakdown query"
        return [
            Page("dashboard", "Plan dashboard", secretariat, f"{base}/?year={YEAR}",
                 figures, figures_label),
            Page("table", "Indicator table, unit=count", secretariat,
                 f"{base}/indicators/?year={YEAR}&unit_kind=count", figures, figures_label),
            Page("indicator", f"Indicator page ({detail.code})", secretariat,
                 f"{base}/indicators/{detail.code}/?year={YEAR}", with_breakdown,
                 breakdown_label),
            Page("entry_get", "Quarterly entry, GET", secretariat,
                 f"{entry}?institution={self.institution.pk}", (entry_values_sql,),
                 "period values (entry_rows)"),
            Page("entry_post", post_label, post_client, post_url, (entry_values_sql,),
                 "period values (entry_rows)", method="post",
                 post_data=lambda: self.entry_post_data(post_client, post_url), expected=302),
            Page("validation", "Validation queue", secretariat, f"{base}/validation/",
                 (queue_sql,), "submitted values page"),
            Page("report_html", "Annual report, HTML", staff,
                 f"{base}/reports/{YEAR}/?draft=1", with_breakdown, breakdown_label),
            Page("report_pdf", "Annual report, PDF", staff,
                 f"{base}/reports/{YEAR}.pdf?draft=1", with_breakdown, breakdown_label,
                 export=True),
            Page("report_xlsx", "Annual report, XLSX", staff,
                 f"{base}/reports/{YEAR}.xlsx?draft=1", with_breakdown, breakdown_label,
                 export=True),
            Page("report_csv", "Annual report, CSV", staff,
                 f"{base}/reports/{YEAR}.csv?draft=1", with_breakdown, breakdown_label,
                 export=True),
        ]  # fmt: skip

    def entry_poster(self, entry):
        """Who posts the entry page: the institution's member when the application accepts
        the page as the member's browser sends it back; else the secretariat (nothing is
        locked for it), with the member's refusal kept as a note for RESULTS.md."""
        member = self.clients["bench-member"]
        response = member.post(entry, self.entry_post_data(member, entry))
        if response.status_code == 302:
            return member, entry, "Quarterly entry, POST"
        errors = sorted(set(re.findall(r"<strong>(.*?)</strong>", response.content.decode())))
        self.notes.append(
            f"The entry page POST is made as the secretariat (`?institution=`): posted back by "
            f"the member, unchanged except one numerator, it answers {response.status_code}: "
            f"{' / '.join(errors) or 'no message'}."
        )
        url = f"{entry}?institution={self.institution.pk}"
        return self.clients["bench-secretariat"], url, "Quarterly entry, POST (secretariat)"

    def entry_post_data(self, client, url):
        """The entry form as a browser would post it, read from a fresh GET (not timed), with
        one figure changed: the edited indicator's numerator moves by one, back and forth."""
        response = client.get(url)
        forms = FormParser.forms_of(response.content.decode())
        form = next(f for f in forms if any(re.match(r"i\d+-version$", n) for n, _v in f))
        data = {}
        for name, value in form:
            data.setdefault(name, []).append(value)
        prefix = f"i{self.edit_indicator.pk}-"
        numerator = number(data[prefix + "numerator"][0])
        denominator = number(data[prefix + "denominator"][0])
        changed = numerator - 1 if numerator % 2 or numerator + 1 > denominator else numerator + 1
        data[prefix + "numerator"] = [str(changed)]
        data["action"] = ["save"]
        return data

    def request(self, page, data=None):
        call = getattr(page.client, page.method)
        response = call(page.url, data) if page.method == "post" else call(page.url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if response.status_code != page.expected:
            raise SystemExit(
                f"{page.label}: {page.url} answered {response.status_code}, not "
                f"{page.expected}:\n{body[:2000].decode(errors='replace')}"
            )
        return len(body)

    def timed(self, page):
        data = page.post_data() if page.post_data else None
        started = time.perf_counter()
        self.request(page, data)
        return (time.perf_counter() - started) * 1000

    def measure(self, page):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        for _ in range(WARMUPS):
            self.timed(page)
        samples = [self.timed(page) for _ in range(self.args.repeat)]
        # One more run with the queries recorded: count, time of each, and the main one.
        data = page.post_data() if page.post_data else None
        recorder = QueryRecorder()
        # Each request empties the log it starts (reset_queries); emptied here too, so that the
        # context's slice of the log is this request's queries.
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(recorder):
            self.request(page, data)
        # Read now: captured_queries slices the connection's log, which the next request empties.
        query_count = len(captured.captured_queries)
        main = [
            next((q for q in recorder.queries if matches(q["sql"])), None)
            for matches in page.main_sql
        ]
        main_ms = sum(self.time_sql(q) for q in main) if all(main) else None
        peak = None
        if page.export:
            data = page.post_data() if page.post_data else None
            tracemalloc.start()
            tracemalloc.reset_peak()
            self.request(page, data)
            peak = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
        median = statistics.median(samples)
        result = {
            "label": page.label,
            "url": page.url,
            "method": page.method.upper(),
            "queries": query_count,
            "median": round(median, 2),
            "p95": round(percentile(samples, 95), 2),
            "main_sql": round(main_ms, 2) if main_ms is not None else None,
            "main_label": page.main_label,
            "ratio": round(median / main_ms, 1) if main_ms else None,
            "sql_total": round(sum(q["ms"] for q in recorder.queries), 2),
            "peak_mb": round(peak, 1) if peak is not None else None,
            "slowest": [
                {"ms": round(q["ms"], 2), "sql": summarize(q["sql"])}
                for q in sorted(recorder.queries, key=lambda q: -q["ms"])[:3]
            ],
        }
        self.results[page.key] = result
        return result

    def time_sql(self, query):
        """The query alone: executed and fully fetched, as many times as the pages."""
        from django.db import connection

        def once():
            started = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute(query["sql"], query["params"])
                cursor.fetchall()
            return (time.perf_counter() - started) * 1000

        for _ in range(WARMUPS):
            once()
        return statistics.median(once() for _ in range(self.args.repeat))

    def profile(self, page):
        data = page.post_data() if page.post_data else None
        profiler = cProfile.Profile()
        profiler.enable()
        self.request(page, data)
        profiler.disable()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
        stats.print_stats(r"tracker|django/template/base|django/db/models/query|weasyprint", 25)
        return out.getvalue()

    def full_export(self):
        """`manage.py export_values` in a child process: its wall time and peak RSS (the
        child's own high-water mark: a forked child's rusage would count the parent's pages)."""
        from django.db import connection

        from tracker.management.commands.export_values import values_queryset

        print("Full CSV export of every value ...", end=" ", flush=True)
        with tempfile.NamedTemporaryFile(suffix=".csv") as output:
            started = time.perf_counter()
            peak_mb = run_export(["--output", output.name])
            seconds = time.perf_counter() - started
            size = Path(output.name).stat().st_size
            with open(output.name, "rb") as lines:
                line_count = sum(1 for _line in lines) - 1
        # The floor: the same command exporting nothing (Django, the app, WeasyPrint loaded).
        idle_mb = run_export(["--plan", "no-such-plan", "--output", os.devnull])
        # Its main query alone: every value with its indicator, plan and period.
        sql, params = values_queryset().query.sql_with_params()
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            while cursor.fetchmany(5000):
                pass
        main_s = time.perf_counter() - started
        result = {
            "lines": line_count,
            "seconds": round(seconds, 1),
            "peak_rss_mb": peak_mb,
            "idle_rss_mb": idle_mb,
            "file_mb": round(size / 2**20, 1),
            "main_sql_s": round(main_s, 2),
        }
        print(f"{result['lines']:,} lines in {result['seconds']} s, {result['peak_rss_mb']} MB")
        return result


def run_export(arguments):
    """Runs export_values; returns the peak RSS in MB it reports."""
    child = subprocess.run(
        [sys.executable, "manage.py", "export_values", *arguments],
        env=os.environ.copy(),
        capture_output=True,
        text=True,
    )
    if child.returncode:
        raise SystemExit(f"export_values failed:\n{child.stderr}")
    found = re.search(r"peak RSS ([\d.]+) MB", child.stderr)
    if not found:
        raise SystemExit(f"export_values did not report its peak RSS:\n{child.stderr}")
    return float(found.group(1))


class QueryRecorder:
    """connection.execute_wrapper that keeps each query's SQL, parameters and execute time."""

    def __init__(self):
        self.queries = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.queries.append(
                {"sql": sql, "params": params, "ms": (time.perf_counter() - started) * 1000}
            )


class FormParser(HTMLParser):
    """The fields a browser would submit for each <form> of a page: (name, value) pairs,
    skipping disabled fields, unticked boxes, files and buttons."""

    SKIPPED_INPUTS = {"submit", "button", "file", "image", "reset"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self.form = None
        self.textarea = None
        self.select = None

    @classmethod
    def forms_of(cls, html):
        parser = cls()
        parser.feed(html)
        parser.close()
        return parser.forms

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self.form = []
            self.forms.append(self.form)
            return
        if self.form is None:
            return
        name = attributes.get("name")
        disabled = "disabled" in attributes
        if tag == "input":
            kind = (attributes.get("type") or "text").lower()
            if disabled or not name or kind in self.SKIPPED_INPUTS:
                return
            if kind in ("checkbox", "radio"):
                if "checked" in attributes:
                    self.form.append((name, attributes.get("value") or "on"))
                return
            self.form.append((name, attributes.get("value") or ""))
        elif tag == "textarea":
            self.textarea = [name, ""] if name and not disabled else None
        elif tag == "select":
            self.select = {"name": name, "disabled": disabled, "first": None, "chosen": None}
        elif tag == "option" and self.select is not None:
            value = attributes.get("value") or ""
            if self.select["first"] is None:
                self.select["first"] = value
            if "selected" in attributes:
                self.select["chosen"] = value

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "textarea" and self.textarea is not None:
            name, text = self.textarea
            # A newline right after <textarea> is not part of the value (HTML spec).
            self.form.append((name, text[1:] if text.startswith("\n") else text))
            self.textarea = None
        elif tag == "select" and self.select is not None:
            select = self.select
            if select["name"] and not select["disabled"] and self.form is not None:
                chosen = select["chosen"] if select["chosen"] is not None else select["first"]
                self.form.append((select["name"], chosen or ""))
            self.select = None


def number(text):
    try:
        return Decimal(text.replace(",", "").strip() or "0").to_integral_value()
    except InvalidOperation:
        raise SystemExit(f"Not a number in the entry form: {text!r}") from None


def percentile(samples, rank):
    """Nearest-rank percentile."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(rank / 100 * len(ordered)) - 1)]


def summarize(sql):
    """A query in one short line: what it selects from, joins and filters (column lists and
    join conditions left out)."""
    text = re.sub(r"\s+", " ", sql)
    text = re.sub(r"SELECT .*? FROM ", "SELECT … FROM ", text)
    text = re.sub(r" ON \((?:[^()]|\([^()]*\))*\)", "", text)
    text = re.sub(r"GROUP BY .*? (ORDER BY|HAVING|LIMIT|$)", r"GROUP BY … \1", text)
    return text[:400] + ("…" if len(text) > 400 else "")


# RESULTS.md


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


HEADER = """# Benchmark results

Written by `bench/run.py` (see bench/README.md); each run replaces the section of its size and
database. **Values** count indicator values (one per indicator and quarter) plus their
breakdown rows (sex × region cells), since both are what pages aggregate and exports write.

Columns: *queries*, SQL queries of one request (session and user included); *median* and
*p95*, wall time of the request through Django's test client, body consumed; *main SQL*, the
page's main aggregate query executed alone and fully fetched through Django's cursor (the
aggregate query of `tracker.figures.year_figures` for the dashboard and the table, plus its
breakdown query where the page shows breakdowns: indicator page and report; the period's
values for the entry page; the page of submitted values for the queue); *ratio*, median ÷ main
SQL; *all SQL*, execute time of all the page's queries in one recorded run (on SQLite a plain
SELECT's rows are mostly read after `execute`, so this undercounts there); *peak MB*, peak
Python allocation during the request (tracemalloc), for the exports. PostgreSQL databases are
`VACUUM ANALYZE`d after generation, as autovacuum would; SQLite gets no `ANALYZE`, as Django
never runs one. Other work ran on the same machine during some runs: the load average is
given with each section, and timings taken under load are inflated.
"""


def write_results(section):
    sections = read_sections()
    sections[f"{section['size']}-{section['db']}"] = section
    parts = [HEADER]
    for key in SECTION_ORDER:
        if key in sections:
            parts.append(render_section(sections[key]))
    parts.append(render_goals(sections))
    RESULTS.write_text("\n".join(parts).rstrip() + "\n")


def read_sections():
    if not RESULTS.exists():
        return {}
    sections = {}
    for raw in re.findall(r"<!-- bench-data (.*?) -->", RESULTS.read_text()):
        section = json.loads(raw)
        sections[f"{section['size']}-{section['db']}"] = section
    return sections


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


if __name__ == "__main__":
    main()
