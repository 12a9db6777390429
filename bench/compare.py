"""--compare REV: the base revision checked out beside the head and both measured in one run,
on the same database, request by request in turn so that both see the same load.

The base's tree is a detached git worktree under bench/worktrees/<short sha> (git-ignored,
reused), with the head's .venv linked, its messages compiled, and the head's benchmark (bench/
and config/settings/bench.py) copied over its own: the worktree is throwaway, and both
revisions are then measured by the same code and settings. Each revision answers in its own
child process (bench/worker.py) started from its tree."""

import contextlib
import os
import shutil
import statistics
import subprocess
import sys

from . import protocol
from .common import ROOT, WARMUPS
from .measure import percentile

WORKTREES = ROOT / "bench" / "worktrees"
COPIED = ["bench", "config/settings/bench.py"]


def git(*arguments, cwd=ROOT):
    return subprocess.run(
        ["git", *arguments], cwd=cwd, capture_output=True, text=True, check=True
    ).stdout.strip()


def prepare_tree(rev):
    """The base revision's tree, ready to run: (full sha, path)."""
    try:
        sha = git("rev-parse", "--verify", f"{rev}^{{commit}}")
    except subprocess.CalledProcessError:
        raise SystemExit(f"--compare: {rev!r} is not a commit of this repository") from None
    tree = WORKTREES / sha[:7]
    if not tree.exists():
        WORKTREES.mkdir(parents=True, exist_ok=True)
        git("worktree", "add", "--detach", str(tree), sha)
    elif git("rev-parse", "HEAD", cwd=tree) != sha:
        git("checkout", "--detach", "--force", sha, cwd=tree)
    venv = tree / ".venv"
    if not venv.exists():
        venv.symlink_to((ROOT / ".venv").resolve())
    for name in COPIED:
        source, target = ROOT / name, tree / name
        if source.is_dir():
            shutil.copytree(
                source,
                target,
                dirs_exist_ok=True,
                ignore=shutil.ignore_patterns("worktrees", "data", "RESULTS*.md", "__pycache__"),
            )
        else:
            shutil.copy2(source, target)
    if not any(tree.glob("locale/*/LC_MESSAGES/*.mo")):
        subprocess.run(
            [sys.executable, "manage.py", "compilemessages", "--ignore=.venv", "-v", "0"],
            cwd=tree,
            check=True,
        )
    return sha, tree


def worker_env(size, db):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(
        BENCH_SIZE=size,
        BENCH_DB=db,
        DJANGO_SETTINGS_MODULE="config.settings.bench",
        # The head's media folder for every revision: a published version's files.
        BENCH_MEDIA_ROOT=str(ROOT / "bench" / "data" / f"media-{size}-{db}"),
    )
    return env


class Worker:
    """A revision's bench/worker.py, started from its tree; `ask` sends one command."""

    def __init__(self, name, tree, env):
        self.name = name
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bench.worker"],
            cwd=tree,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
        )
        self.read()  # the worker says when Django and the scenario are ready
        self.hello = self.ask("hello")

    def read(self):
        try:
            return protocol.parse_reply(self.process.stdout.readline())
        except protocol.ProtocolError as error:
            self.process.kill()
            raise SystemExit(f"{self.name}: {error}") from None

    def ask(self, name, **arguments):
        self.process.stdin.write(protocol.command(name, **arguments))
        self.process.stdin.flush()
        return self.read()

    def close(self):
        if self.process.poll() is None:
            with contextlib.suppress(SystemExit, BrokenPipeError):
                self.ask("quit")
            self.process.wait(timeout=30)


def interleave(workers, page, repeat):
    """Each worker's timings of the page, taken in turn request by request (the order
    alternating from one round to the next), after each one's warm-ups."""
    for worker in workers:
        worker.ask("time", page=page, n=WARMUPS)
    samples = {worker.name: [] for worker in workers}
    for round_ in range(repeat):
        for worker in workers if round_ % 2 == 0 else workers[::-1]:
            samples[worker.name] += worker.ask("time", page=page, n=1)["ms"]
    return samples


def summary(samples):
    return {
        "median": round(statistics.median(samples), 2),
        "p95": round(percentile(samples, 95), 2),
    }


def measure_pages(head, base, repeat, only=None, small=None):
    """Per page: the head's and the base's timings and queries; the dashboard also at S by
    `small` (the head on the S database) when given, in the same turns."""
    pages = {}
    for key, label, kind, _url in head.hello["pages"]:
        if only and key not in only:
            continue
        workers = [head, base] + ([small] if small and key == "dashboard" else [])
        print(f"{label} ...", end=" ", flush=True)
        samples = interleave(workers, key, repeat)
        result = {"label": label, "html": kind == "html"}
        for worker in (head, base):
            result[worker.name] = {
                **summary(samples[worker.name]),
                **worker.ask("detail", page=key, repeat=repeat),
            }
        if small and key == "dashboard":
            result["small"] = summary(samples[small.name])
        pages[key] = result
        print(
            f"head {result['head']['median']:.1f} ms, base {result['base']['median']:.1f} ms",
            flush=True,
        )
    return pages
