"""The run of `--compare`, `--throughput`, `--weights` and `--pdf-memory` (bench/cli.py has
set Django up for the head, migrated the database with the head's code and generated the data):
the report published once, the revisions' workers and servers started, each measurement made
and its section of RESULTS.md returned."""

import datetime
import json
import os
import subprocess
import sys
import time

from . import compare, serve, weights
from .common import DB_LABELS, ROOT, YEAR

THROUGHPUT_PAGES = ("dashboard", "table", "report_html")


def publish_once(scenario):
    """The measured report's published version: an existing one whose stored files (if the
    code keeps any) are all there, else one published now by the reporting staff through the
    head's service."""
    from tracker import services
    from tracker.models import AnnualReport, User

    report = AnnualReport.objects.filter(plan=scenario.plan, year=YEAR).first()
    latest = report.versions.order_by("-number").first() if report else None
    if latest and not missing_files(latest):
        return latest.number, False
    staff = User.objects.get(username="bench-staff")
    return services.publish_report(user=staff, plan=scenario.plan, year=YEAR).number, True


def missing_files(version):
    """Whether a version lacks files the code keeps with it: a file field of the version, or
    of rows pointing at it, that is empty or absent from storage (a version published by code
    that kept none, or whose media folder was removed)."""
    from django.db.models import FileField

    def absent(instance):
        files = [
            getattr(instance, f.name) for f in instance._meta.fields if isinstance(f, FileField)
        ]
        return any(not file or not file.storage.exists(file.name) for file in files)

    if absent(version):
        return True
    for relation in version._meta.related_objects:
        model = relation.related_model
        if not any(isinstance(f, FileField) for f in model._meta.fields):
            continue
        rows = list(model.objects.filter(**{relation.field.name: version}))
        if not rows or any(absent(row) for row in rows):
            return True
    return False


class Suite:
    def __init__(self, args, code):
        self.args, self.code = args, code
        self.size, self.db = args.size, args.db
        self.env = compare.worker_env(self.size, self.db)
        self.notes, self.workers, self.servers = [], {}, {}
        self.base_sha = self.base_tree = None
        if args.compare:
            self.base_sha, self.base_tree = compare.prepare_tree(args.compare)

    def stamp(self, kind, started, load_start, **fields):
        return {
            "kind": kind,
            "code": self.code,
            "base": self.base_sha[:7] if self.base_sha else None,
            "date": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
            "duration_s": round(time.monotonic() - started),
            "load": [round(load_start, 2), round(os.getloadavg()[0], 2)],
            **fields,
        }

    def worker(self, name):
        if name not in self.workers:
            tree = self.base_tree if name == "base" else ROOT
            print(f"Starting the {name} worker ({tree}) ...", flush=True)
            self.workers[name] = compare.Worker(name, tree, self.env)
        return self.workers[name]

    def small_worker(self):
        """The head on the S database (dashboard L/S in the same turns), or None."""
        env = compare.worker_env("S", self.db)
        migrated = subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"],
                                  cwd=ROOT, env=env, capture_output=True)  # fmt: skip
        if migrated.returncode == 0:
            try:
                self.workers["small"] = compare.Worker("small", ROOT, env)
                return self.workers["small"]
            except SystemExit as error:
                self.notes.append(f"No dashboard at S in this run: {error}")
        else:
            self.notes.append("No dashboard at S in this run: its database could not be migrated.")
        return None

    def server(self, name):
        if name not in self.servers:
            tree = self.base_tree if name == "base" else ROOT
            print(f"Starting gunicorn for the {name} ...", flush=True)
            self.servers[name] = serve.Server(name, tree, serve.free_port(), self.env)
        return self.servers[name]

    def compare_section(self, scenario, data_line, repeat, only):
        started, load = time.monotonic(), os.getloadavg()[0]
        head, base = self.worker("head"), self.worker("base")
        small = self.small_worker() if self.size == "L" and not only else None
        pages = compare.measure_pages(head, base, repeat, only, small)
        return self.stamp("compare", started, load, size=self.size, db=self.db, repeat=repeat,
                          data_line=data_line, pages=pages, notes=self.notes)  # fmt: skip

    def throughput_section(self, seconds):
        started, load = time.monotonic(), os.getloadavg()[0]
        servers = [self.server("head"), self.server("base")]
        cookies = {name: self.worker(name).ask("session", username="bench-staff")["cookie"]
                   for name in ("head", "base")}  # fmt: skip
        known = {key: (label, url) for key, label, _k, url in self.worker("head").hello["pages"]}
        pages = serve.throughput(servers, [(k, *known[k]) for k in THROUGHPUT_PAGES], cookies,
                                 seconds)  # fmt: skip
        return self.stamp("throughput", started, load, pages=pages, seconds=seconds,
                          gunicorn=servers[0].config, workers=serve.WORKERS,
                          db_label=f"{self.size} on {DB_LABELS[self.db]}")  # fmt: skip

    def weights_section(self):
        started, load = time.monotonic(), os.getloadavg()[0]
        head = self.worker("head")
        urls = head.ask("urls")["urls"]
        users = {user for *_rest, user in urls if user}
        cookies = {user: head.ask("session", username=user)["cookie"] for user in users}
        pages = weights.weigh(self.server("head"), urls, cookies)
        return self.stamp("weights", started, load, pages=pages)

    def memory_section(self, renders, with_base):
        started, load = time.monotonic(), os.getloadavg()[0]
        runs = {}
        trees = [("head", ROOT)] + ([("base", self.base_tree)] if with_base else [])
        for name, tree in trees:
            print(f"{renders} PDF renderings ({name}) ...", flush=True)
            child = subprocess.run(
                [sys.executable, "-m", "bench.pdfmemory", "--renders", str(renders)],
                cwd=tree, env=self.env, stdout=subprocess.PIPE, text=True,
            )  # fmt: skip
            if child.returncode:
                raise SystemExit(f"bench.pdfmemory failed for the {name}")
            runs[name] = json.loads(child.stdout.strip().splitlines()[-1])
        return self.stamp("pdf-memory", started, load, runs=runs)

    def close(self):
        for worker in self.workers.values():
            worker.close()
        for server in self.servers.values():
            server.stop()


def run(args, code, scenario, data_line):
    """The sections asked for, each yielded as soon as it is measured (so that it is written
    even if a later one fails); the workers and servers stopped whatever happens."""
    suite = Suite(args, code)
    try:
        if args.compare:
            version, fresh = publish_once(scenario)
            print(f"Published report: version {version}{' (published now)' if fresh else ''}.")
            yield suite.compare_section(scenario, data_line, args.repeat, args.only)
            if args.throughput or (args.size == "L" and not args.only):
                yield suite.throughput_section(args.wrk_seconds)
        if args.weights:
            yield suite.weights_section()
        if args.pdf_memory:
            yield suite.memory_section(args.pdf_memory, args.pdf_memory_base)
    finally:
        suite.close()
