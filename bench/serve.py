"""Each revision served as in production, by gunicorn from its own tree (the head's
config/gunicorn.conf.py, 2 workers, DEBUG off, static files collected, hashed and compressed
for WhiteNoise), and its throughput read by wrk at concurrency 4."""

import http.client
import re
import subprocess
import sys
import time
from pathlib import Path

from .common import ROOT

GUNICORN_CONF = ROOT / "config" / "gunicorn.conf.py"
WORKERS = 2


def collect_static(tree, env):
    """The tree's static files collected into bench/data/static (hashed, gzip and Brotli),
    once per version of the application: the stamp names what was collected, and a tree with
    changes is collected again."""
    target = Path(tree) / "bench" / "data" / "static"
    stamp = target / ".commit"
    commit = _tree_commit(tree)
    if commit and stamp.exists() and stamp.read_text() == commit:
        return target
    print(f"Collecting the static files of {tree} ...", flush=True)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--clear", "-v", "0"],
        cwd=tree,
        env={**env, "BENCH_STATIC_ROOT": str(target)},
        check=True,
    )
    if commit:
        stamp.write_text(commit)
    return target


def _tree_commit(tree):
    """What the static files are collected from, as git's ids of tracker/ and templates/ (a
    commit that changes only the benchmark keeps them), or None when the tree has changes."""
    status = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no", "--", "tracker", "templates"],
        cwd=tree, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    if status:
        return None
    return subprocess.run(
        ["git", "rev-parse", "HEAD:tracker", "HEAD:templates"],
        cwd=tree, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip


class Server:
    """gunicorn serving a tree on a port of the loopback, until stop()."""

    def __init__(self, name, tree, port, env):
        self.name, self.port = name, port
        static = collect_static(tree, env)
        env = {
            **env,
            "BENCH_STATIC_ROOT": str(static),
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_WORKERS": str(WORKERS),
        }
        gunicorn = str(Path(sys.executable).parent / "gunicorn")
        if GUNICORN_CONF.exists():
            # --chdir on the command line wins over the file: each revision imports its own code.
            command = [gunicorn, "-c", str(GUNICORN_CONF), "--chdir", str(tree), "config.wsgi"]
            self.config = "config/gunicorn.conf.py"
        else:
            # The head without its production configuration yet: the same essentials.
            command = [gunicorn, "-w", str(WORKERS), "-b", env["GUNICORN_BIND"], "--timeout",
                       "60", "config.wsgi"]  # fmt: skip
            self.config = f"-w {WORKERS} (no config/gunicorn.conf.py in the head)"
        self.log = open(ROOT / "bench" / "data" / f"gunicorn-{name}.log", "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            command, cwd=tree, env=env, stdout=self.log, stderr=subprocess.STDOUT
        )
        self.wait_ready()

    def wait_ready(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn ({self.name}) stopped: see {self.log.name}")
            try:
                self.status("/accounts/login/")
                return
            except OSError:
                time.sleep(0.5)
        raise SystemExit(f"gunicorn ({self.name}) did not answer in {timeout} s")

    def status(self, path, cookie=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = connection.getresponse()
        response.read()
        connection.close()
        return response.status

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def parse_wrk(output):
    """Requests per second, requests and non-2xx/3xx answers of wrk's report."""
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    total = re.search(r"(\d+) requests in", output)
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(r"Socket errors: (.*)", output)
    if not rate or not total:
        raise ValueError(f"not a wrk report:\n{output}")
    return {
        "rps": float(rate.group(1)),
        "requests": int(total.group(1)),
        "non_2xx": int(bad.group(1)) if bad else 0,
        "socket_errors": errors.group(1).strip() if errors else None,
    }


def wrk(server, path, cookie, seconds):
    """wrk -t2 -c4 on one page, signed in; the page must answer 200 before and after (wrk
    counts a redirect to the login page as a success)."""
    for _ in range(2):
        status = server.status(path, cookie)
        if status != 200:
            raise SystemExit(f"{server.name}: {path} answered {status}, not 200, signed in")
    output = subprocess.run(
        ["wrk", "-t2", "-c4", f"-d{seconds}s", "--timeout", "30s", "-H", f"Cookie: {cookie}",
         server.url(path)],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    result = parse_wrk(output)
    if server.status(path, cookie) != 200:
        raise SystemExit(f"{server.name}: {path} stopped answering 200 during wrk")
    return result


def throughput(servers, pages, cookies, seconds, rounds=2):
    """Requests/s of each page (key, label, path) for each server, run in turn (ABBA order),
    one server loaded at a time."""
    results = {}
    for key, label, path in pages:
        print(f"wrk {key} ...", end=" ", flush=True)
        runs = {server.name: [] for server in servers}
        for round_ in range(rounds):
            for server in servers if round_ % 2 == 0 else servers[::-1]:
                runs[server.name].append(wrk(server, path, cookies[server.name], seconds))
        results[key] = {
            "label": label,
            "path": path,
            **{
                name: {
                    "rps": round(sum(r["rps"] for r in done) / len(done), 1),
                    "runs": [r["rps"] for r in done],
                    "non_2xx": sum(r["non_2xx"] for r in done),
                    "socket_errors": [r["socket_errors"] for r in done if r["socket_errors"]],
                }
                for name, done in runs.items()
            },
        }
        print(", ".join(f"{n} {results[key][n]['rps']} req/s" for n in runs), flush=True)
    return results


def free_port():
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
