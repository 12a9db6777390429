"""The benchmark's pure parts (bench/): the protocol its workers speak, the rule that keeps
RESULTS.md to one commit, the verdicts of the acceptance, and the reading of wrk's and the
PDF memory's output. No timings here: speed is what the benchmark itself measures."""

import io
import json

import pytest

from bench import pdfmemory, protocol, results, serve, weights
from bench.worker import serve as serve_commands


def page(median, sql_total, base_median, html=True, label="Page"):
    return {
        "label": label,
        "html": html,
        "head": {"median": median, "p95": median, "queries": 5, "sql_total": sql_total},
        "base": {"median": base_median, "p95": base_median, "queries": 5, "sql_total": 1.0},
    }


def compare_section(code="abc1234", size="L", pages=None):
    return {
        "kind": "compare", "code": code, "base": "de2ad96", "size": size, "db": "postgres",
        "date": "2026-11-24 02:00 GMT", "duration_s": 60, "load": [1.0, 1.5], "repeat": 20,
        "data_line": "100 plans.", "pages": pages or {"dashboard": page(30, 12, 90)},
    }  # fmt: skip


# The protocol


def test_a_command_is_one_json_line_the_worker_reads_back():
    line = protocol.command("time", page="dashboard", n=3)
    assert line.endswith("\n") and line.count("\n") == 1
    assert protocol.parse_command(line) == ("time", {"page": "dashboard", "n": 3})


def test_a_reply_is_read_back_without_its_ok_flag():
    assert protocol.parse_reply(protocol.reply(ms=[1.5, 2.0])) == {"ms": [1.5, 2.0]}


@pytest.mark.parametrize(
    "line",
    [
        "not json\n",
        "[1, 2]\n",
        '{"command": "drop_database"}\n',
        '{"command": "time", "page": "dashboard"}\n',
        '{"command": "time", "page": "dashboard", "n": 0}\n',
        '{"command": "time", "page": "dashboard", "n": "3"}\n',
        '{"page": "dashboard", "n": 3}\n',
    ],
)
def test_a_worker_refuses_a_malformed_command(line):
    with pytest.raises(protocol.ProtocolError):
        protocol.parse_command(line)


def test_the_benchmark_cannot_send_an_unknown_or_incomplete_command():
    with pytest.raises(protocol.ProtocolError):
        protocol.command("publish")
    with pytest.raises(protocol.ProtocolError):
        protocol.command("detail", page="table")


@pytest.mark.parametrize(
    "line", ["", "Traceback (most recent call last):\n", '{"ms": [1]}\n', "[true]\n"]
)
def test_a_reply_that_is_not_one_is_refused(line):
    with pytest.raises(protocol.ProtocolError):
        protocol.parse_reply(line)


def test_a_failed_command_reaches_the_benchmark_with_the_workers_message():
    with pytest.raises(protocol.ProtocolError, match="answered 302"):
        protocol.parse_reply(protocol.failure("Plan dashboard answered 302"))


def test_the_worker_answers_each_command_once_and_stops_at_quit():
    lines = [
        protocol.command("hello"),
        "garbage\n",
        protocol.command("time", page="boom", n=1),
        protocol.command("quit"),
        protocol.command("hello"),  # after quit: never read
    ]

    def handle(name, arguments):
        if arguments.get("page") == "boom":
            raise SystemExit("boom answered 500, not 200")
        return {"pages": []}

    out = io.StringIO()
    serve_commands(lines, out, handle)
    replies = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["ok"] for r in replies] == [True, False, False, True]
    assert "answered 500" in replies[2]["error"]


# RESULTS.md: one commit


def test_writing_a_section_of_another_commit_removes_the_older_ones():
    old = {
        "compare-L-postgres": compare_section(code="1111111"),
        "weights": {"kind": "weights", "code": "1111111", "pages": {}},
    }
    kept, dropped = results.merge(old, compare_section(code="2222222", size="S"))
    assert dropped == ["compare-L-postgres", "weights"]
    assert list(kept) == ["compare-S-postgres"]


def test_sections_of_the_same_commit_are_kept_and_the_same_key_replaced():
    old = {"weights": {"kind": "weights", "code": "abc1234", "pages": {}},
           "compare-L-postgres": compare_section(pages={"table": page(1, 1, 1)})}  # fmt: skip
    kept, dropped = results.merge(old, compare_section())
    assert dropped == []
    assert set(kept) == {"weights", "compare-L-postgres"}
    assert "dashboard" in kept["compare-L-postgres"]["pages"]


def test_the_written_file_reads_back_as_the_same_sections_in_the_same_order():
    pages = {"table": page(1, 1, 1), "dashboard": page(2, 1, 1)}
    sections = {"compare-L-postgres": compare_section(pages=pages)}
    read = results.read_sections(results.render(sections))
    assert read == sections
    assert list(read["compare-L-postgres"]["pages"]) == ["table", "dashboard"]


# Verdicts


@pytest.mark.parametrize(
    ("median", "sql_total", "base_median", "expected"),
    [
        (30, 10, 31, "met (≤ 3× SQL)"),
        (30, 5, 60, "met (halved)"),
        (30, 5, 59, "**not met**"),
        (30, 0, 100, "met (halved)"),
        (31, 10, 40, "**not met**"),
    ],
)
def test_an_html_page_is_within_3x_its_sql_or_halved(median, sql_total, base_median, expected):
    assert results.html_verdict(page(median, sql_total, base_median)) == expected


def test_a_page_that_is_not_html_has_no_verdict():
    assert results.html_verdict(page(3000, 5, 3000, html=False)) == "–"


def acceptance_rows(sections):
    text = results.render_acceptance(sections)
    return {
        row.split(" | ")[0].lstrip("| "): row.split(" | ")[1]
        for row in text.splitlines()
        if row.startswith("| ") and not row.startswith(("| goal", "| ---"))
    }


def test_the_acceptance_is_unknown_without_its_runs():
    rows = acceptance_rows({})
    assert set(rows.values()) == {"?"}


def test_the_acceptance_reads_each_goal_from_its_section():
    dashboard = page(33, 12, 90, label="Plan dashboard")
    dashboard["small"] = {"median": 30, "p95": 31}
    published = page(80, 2, 3000, html=False)
    large = compare_section(pages={"dashboard": dashboard, "published_pdf": published})
    speed = {"kind": "throughput", "code": "abc1234", "pages": {
        "table": {"head": {"rps": 30}, "base": {"rps": 10}},
        "report_html": {"head": {"rps": 14}, "base": {"rps": 10}},
    }}  # fmt: skip
    rows = acceptance_rows({"compare-L-postgres": large, "throughput": speed})
    assert rows["Dashboard L / S ≤ 1.1× (PostgreSQL)"] == "met"  # 33 / 30 = 1.1
    assert rows["HTML pages at L (PostgreSQL) ≤ 3× all SQL or halved"] == "met"
    assert rows["Published PDF ≤ 50 ms (L, PostgreSQL)"] == "**not met**"
    assert rows["Throughput ≥ 1.5× base (table, report)"] == "**not met**"  # report 1.4×
    assert rows["Page weights within budget (170 KB, 300 KB with a chart)"] == "?"


@pytest.mark.parametrize(
    ("kilobytes", "chart", "within"),
    [(170, False, True), (170.1, False, False), (299, True, True), (301, True, False)],
)
def test_a_page_with_a_chart_has_the_larger_budget(kilobytes, chart, within):
    assert weights.verdict(kilobytes, chart)[1] is within


# What the tools print

WRK = """Running 15s test @ http://127.0.0.1:8001/plans/x/indicators/
  2 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   180.23ms   20.11ms 301.00ms   70.00%
  332 requests in 15.02s, 30.12MB read
  Non-2xx or 3xx responses: 2
Requests/sec:     22.10
Transfer/sec:      2.01MB
"""


def test_wrk_report_is_read():
    assert serve.parse_wrk(WRK) == {
        "rps": 22.1, "requests": 332, "non_2xx": 2, "socket_errors": None,
    }  # fmt: skip


def test_a_wrk_report_without_errors_counts_none():
    clean = WRK.replace("  Non-2xx or 3xx responses: 2\n", "")
    assert serve.parse_wrk(clean)["non_2xx"] == 0


@pytest.mark.parametrize("output", ["", "unable to connect to 127.0.0.1:8001 Connection refused"])
def test_output_that_is_not_a_wrk_report_is_refused(output):
    with pytest.raises(ValueError):
        serve.parse_wrk(output)


def test_pdf_memory_is_judged_after_the_warm_up():
    samples = [100, 140, 150, 151, 158, 155]
    summary = pdfmemory.summarize(samples, warmup=3)
    assert summary["rss_after_warmup_mb"] == 150
    assert summary["spread_mb"] == 8
    assert summary["flat"] is True
    assert pdfmemory.summarize([*samples, 161], warmup=3)["flat"] is False
