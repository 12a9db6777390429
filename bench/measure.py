"""Timing: each page through Django's test client (median and 95th percentile of the timed
requests after the warm-ups), its queries recorded and its main query timed alone, the peak
memory of the exports; a cProfile summary on request; the full CSV export in a child
process."""

import cProfile
import io
import math
import os
import pstats
import re
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tracker.management.commands.export_values import values_queryset

from .common import WARMUPS


def request(page, data=None):
    """One request of the page, its body consumed; stops the run on an unexpected status."""
    call = getattr(page.client, page.method)
    response = call(page.url, data) if page.method == "post" else call(page.url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if response.status_code != page.expected:
        raise SystemExit(
            f"{page.label}: {page.url} answered {response.status_code}, not "
            f"{page.expected}:\n{body[:2000].decode(errors='replace')}"
        )
    return len(body)


def timed(page):
    """Milliseconds of one request (the POST data is built before the clock starts)."""
    data = page.data()
    started = time.perf_counter()
    request(page, data)
    return (time.perf_counter() - started) * 1000


def measure(page, repeat):
    """The page's result for RESULTS.md: times, queries, main SQL, peak memory."""
    for _ in range(WARMUPS):
        timed(page)
    samples = [timed(page) for _ in range(repeat)]
    # One more run with the queries recorded: count, time of each, and the main one.
    data = page.data()
    recorder = QueryRecorder()
    # Each request empties the log it starts (reset_queries); emptied here too, so that the
    # context's slice of the log is this request's queries.
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(recorder):
        request(page, data)
    # Read now: captured_queries slices the connection's log, which the next request empties.
    query_count = len(captured.captured_queries)
    main = [
        next((q for q in recorder.queries if matches(q["sql"])), None) for matches in page.main_sql
    ]
    main_ms = sum(time_sql(q, repeat) for q in main) if all(main) else None
    peak = None
    if page.export:
        data = page.data()
        tracemalloc.start()
        tracemalloc.reset_peak()
        request(page, data)
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    median = statistics.median(samples)
    return {
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


def time_sql(query, repeat):
    """The query alone: executed and fully fetched, as many times as the pages."""

    def once():
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(query["sql"], query["params"])
            cursor.fetchall()
        return (time.perf_counter() - started) * 1000

    for _ in range(WARMUPS):
        once()
    return statistics.median(once() for _ in range(repeat))


def profile(page):
    data = page.data()
    profiler = cProfile.Profile()
    profiler.enable()
    request(page, data)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
    stats.print_stats(r"tracker|django/template/base|django/db/models/query|weasyprint", 25)
    return out.getvalue()


def full_export():
    """`manage.py export_values` in a child process: its wall time and peak RSS (the
    child's own high-water mark: a forked child's rusage would count the parent's pages)."""
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
