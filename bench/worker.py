"""python -m bench.worker: one revision's side of a comparison (bench/compare.py).

Run from a revision's tree (its cwd and sys.path), with BENCH_SIZE and BENCH_DB set, it sets
Django up once and answers the commands of bench/protocol.py, one JSON line each, until "quit"
or the end of its stdin. Django cannot hold two versions of the code in one process, hence one
worker per revision; the benchmark's own modules are the head's, copied into the base's tree.
Its replies go to the stdout it was started with; anything printed meanwhile goes to stderr."""

import importlib
import os
import statistics
import sys

from . import protocol


def serve(lines, out, handle):
    """Answers each command line with one reply line until "quit" (the loop, without Django)."""
    for line in lines:
        if not line.strip():
            continue
        try:
            name, arguments = protocol.parse_command(line)
            if name == "quit":
                out.write(protocol.reply())
                out.flush()
                return
            out.write(protocol.reply(**handle(name, arguments)))
        except SystemExit as error:  # measure.request stops on an unexpected status
            out.write(protocol.failure(str(error.code)))
        except Exception as error:
            out.write(protocol.failure(f"{type(error).__name__}: {error}"))
        out.flush()


class Revision:
    """The revision's Django, its scenario and pages, built once."""

    def __init__(self):
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
        # The revision's application loaded as a WSGI server loads it (its config/wsgi.py
        # sets Django up, and may prepare the process), then timed through the test client.
        importlib.import_module("config.wsgi")
        from .pages import Scenario

        self.scenario = Scenario()
        self.pages = {page.key: page for page in self.scenario.pages()}

    def __call__(self, name, arguments):
        return getattr(self, name)(**arguments)

    def hello(self):
        from django import get_version

        from .cli import code_version

        return {
            "code": code_version(),
            "django": get_version(),
            "pages": [
                [p.key, p.label, "html" if p.html else p.method, p.url] for p in self.pages.values()
            ],
        }

    def time(self, page, n):
        from .measure import timed

        return {"ms": [round(timed(self.pages[page]), 3) for _ in range(n)]}

    def detail(self, page, repeat):
        """Queries of recorded requests: their count, all their SQL (the median of 5 recorded
        requests for an HTML page, of one for the slower others), the main query alone."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from .measure import QueryRecorder, request, summarize, time_sql

        page = self.pages[page]
        recorded = []
        for _ in range(5 if page.html else 1):
            data = page.data()
            recorder = QueryRecorder()
            connection.queries_log.clear()
            with (
                CaptureQueriesContext(connection) as captured,
                connection.execute_wrapper(recorder),
            ):
                request(page, data)
            recorded.append((len(captured.captured_queries), recorder.queries))
        count, queries = recorded[-1]
        main = [next((q for q in queries if matches(q["sql"])), None) for matches in page.main_sql]
        # A revision whose queries no longer match the page's pattern has no main SQL time.
        main_ms = sum(time_sql(q, repeat) for q in main) if main and all(main) else None
        slowest = sorted(queries, key=lambda q: -q["ms"])[:3]
        totals = [sum(q["ms"] for q in run) for _count, run in recorded]
        return {
            "queries": count,
            "sql_total": round(statistics.median(totals), 2),
            "main_sql": round(main_ms, 2) if main_ms is not None else None,
            "main_label": page.main_label,
            "slowest": [{"ms": round(q["ms"], 2), "sql": summarize(q["sql"])} for q in slowest],
        }

    def session(self, username):
        """A signed-in session of the benchmark's user, as the cookie a browser would send."""
        from django.conf import settings

        client = self.scenario.clients[username]
        return {"cookie": f"{settings.SESSION_COOKIE_NAME}={client.session.session_key}"}

    def urls(self):
        from .weights import page_urls

        return {"urls": page_urls(self.scenario)}


def main():
    out = os.fdopen(os.dup(sys.stdout.fileno()), "w")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    sys.stdout = sys.stderr
    try:
        revision = Revision()
    except Exception as error:
        out.write(protocol.failure(f"setup failed: {type(error).__name__}: {error}"))
        out.flush()
        raise
    out.write(protocol.reply(ready=True))
    out.flush()
    serve(sys.stdin, out, revision)


if __name__ == "__main__":
    main()
