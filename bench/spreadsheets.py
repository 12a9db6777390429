"""The quarter in Excel's budgets (issue 15), apart from the pages' benchmark:

- hostile workbooks (a zip bomb of 1 GiB, a million rows with their dimension declared, a
  million rows streamed without it) are refused in under 5 s and 200 MB, each in a child
  process whose wall time and peak resident memory (VmHWM, Django loaded) are read;
- the template of 60 count indicators with sex × region breakdowns (2 × 11 = 22 cells each) is
  downloaded, filled with openpyxl, uploaded (preview) and committed through the pages, in
  under 3 s for the upload and the commit together.

    .venv/bin/python -m bench.spreadsheets [--write]

Runs on a throw-away SQLite database (migrated, then deleted) with the test settings; --write
puts the table in bench/RESULTS-spreadsheets.md."""

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "RESULTS-spreadsheets.md"
INDICATORS, REGIONS = 60, 11
REFUSAL_SECONDS, REFUSAL_MB, IMPORT_SECONDS = 5, 200, 3
TYPES = (
    b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    b'content-types"/>'
)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="write " + RESULTS.name)
    parser.add_argument("--refuse", help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args()
    if args.refuse:
        return refuse(Path(args.refuse))
    with tempfile.TemporaryDirectory(prefix="nap1325-bench-xlsx-") as folder:
        folder = Path(folder)
        rows = [measure_refusal(name, build(folder)) for name, build in HOSTILE.items()]
        rows.append(measure_import(folder))
    table = render(rows)
    print(table)
    if args.write:
        RESULTS.write_text(table + "\n")
        print(f"Written to {RESULTS.relative_to(ROOT)}.")


# Hostile files


def zip_bomb(folder):
    path = folder / "zip-bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", TYPES)
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            zeros = bytes(2**20)
            for _ in range(1024):
                part.write(zeros)
    return path


def million_rows(folder, declared=True):
    path = folder / ("million-rows.xlsx" if declared else "million-rows-undeclared.xlsx")
    head = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", TYPES)
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            part.write(head + (b'<dimension ref="A1:A1000000"/>' if declared else b""))
            part.write(b"<sheetData>")
            for start in range(1, 1_000_001, 10_000):
                part.write(b"".join(b'<row r="%d"/>' % n for n in range(start, start + 10_000)))
            part.write(b"</sheetData></worksheet>")
    return path


HOSTILE = {
    "zip bomb (1 GiB of zeros in one part)": zip_bomb,
    "1,000,000 rows, dimension declared": million_rows,
    "1,000,000 rows, no dimension (streamed)": lambda folder: million_rows(folder, False),
}


def measure_refusal(name, path):
    child = subprocess.run(
        [sys.executable, "-m", "bench.spreadsheets", "--refuse", str(path)],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    if child.returncode:
        raise SystemExit(f"{name}: the child failed:\n{child.stderr}")
    result = json.loads(child.stdout.splitlines()[-1])
    ok = result["seconds"] < REFUSAL_SECONDS and result["peak_rss_mb"] < REFUSAL_MB
    return {
        "case": f"{name}, {path.stat().st_size / 2**20:.1f} MB packed",
        "seconds": result["seconds"],
        "peak_rss_mb": result["peak_rss_mb"],
        "goal": f"< {REFUSAL_SECONDS} s and < {REFUSAL_MB} MB",
        "met": ok,
        "note": result["message"][:80] + ("…" if len(result["message"]) > 80 else ""),
    }


def refuse(path):
    """In the child: read the file as the upload page does and report the refusal."""
    import django

    django.setup()
    from tracker.spreadsheets.errors import SpreadsheetRefused
    from tracker.spreadsheets.reading import read_template

    started = time.perf_counter()
    data = path.read_bytes()
    try:
        read_template(data)
        message = "NOT REFUSED"
    except SpreadsheetRefused as error:
        message = error.message_text
    seconds = time.perf_counter() - started
    status = Path("/proc/self/status").read_text()
    peak = next(line for line in status.splitlines() if line.startswith("VmHWM"))
    print(
        json.dumps(
            {
                "seconds": round(seconds, 2),
                "peak_rss_mb": round(int(peak.split()[1]) / 1024, 1),
                "message": message,
            }
        )
    )
    return 0 if message != "NOT REFUSED" else 1


# The import of 60 indicators × 22 cells


def measure_import(folder):
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()
    print("Migrating a throw-away database ...", flush=True)
    call_command("migrate", interactive=False, verbosity=0)
    client, url, period, changes = _plan_and_member()
    template = client.get(url).content
    data = _filled(template, changes)
    file = io.BytesIO(data)
    file.name = "quarter.xlsx"
    started = time.perf_counter()
    response = client.post(url.replace("template.xlsx", "import/"), {"file": file})
    preview_s = time.perf_counter() - started
    if response.status_code != 302:
        raise SystemExit(f"The upload was refused:\n{response.content.decode()[:3000]}")
    started = time.perf_counter()
    response = client.post(response["Location"])
    commit_s = time.perf_counter() - started
    from tracker.models import BreakdownRow

    stored = BreakdownRow.objects.filter(indicator_value__period=period).count()
    if response.status_code != 302 or stored != INDICATORS * 2 * REGIONS:
        raise SystemExit(f"The commit stored {stored} cells ({response.status_code}).")
    total = preview_s + commit_s
    return {
        "case": f"import of {INDICATORS} indicators × {2 * REGIONS} cells "
        f"({len(data) / 1024:.0f} KB): upload and preview {preview_s:.2f} s, commit "
        f"{commit_s:.2f} s",
        "seconds": round(total, 2),
        "peak_rss_mb": None,
        "goal": f"< {IMPORT_SECONDS} s",
        "met": total < IMPORT_SECONDS,
        "note": f"{stored} breakdown cells stored",
    }


def _plan_and_member():
    """A plan whose one institution reports 60 counts broken down by sex × 11 regions, its
    member signed in, and the figures to type (each cell its own number, the total their sum)."""
    from django.contrib.auth.models import Group
    from django.test import Client
    from django.urls import reverse

    from tracker import roles, services
    from tracker.models import Axis, Dimension, Indicator, Institution, Plan, Result, User

    institution = Institution.objects.create(
        name="Bench ministry", acronym="BENCH", kind="ministry"
    )
    plan = Plan.objects.create(
        country="Bench", title="[BENCH] plan", slug="bench", start_year=2019, end_year=2023
    )
    services.generate_periods(plan=plan)
    result = Result.objects.create(
        axis=Axis.objects.create(plan=plan, number=1, name="A"), code="1.1"
    )
    sex = Dimension.objects.create(code="sex", name="Sex", order=1)
    region = Dimension.objects.create(code="region", name="Region", order=2)
    sex.values.create(code="women", name="Women", order=1)
    sex.values.create(code="men", name="Men", order=2)
    for number in range(1, REGIONS + 1):
        region.values.create(code=f"r{number}", name=f"Region {number}", order=number)
    changes = {}
    for number in range(1, INDICATORS + 1):
        indicator = Indicator.objects.create(
            result=result,
            code=f"1.1-{number:02d}",
            name=f"Cases {number}",
            unit_kind="count",
            aggregation="sum",
        )
        indicator.dimensions.add(sex, region)
        indicator.responsible_institutions.add(institution)
        cells = [
            (f"cell_{row.pk}_{column.pk}", number + row.order * column.order)
            for row in sex.values.all()
            for column in region.values.all()
        ]
        changes[indicator.code] = {"value": sum(amount for _name, amount in cells), **dict(cells)}
    member = User.objects.create(username="bench-member", institution=institution)
    member.groups.add(Group.objects.get(name=roles.COMMITTEE_MEMBER))
    client = Client()
    client.force_login(member)
    period = plan.reporting_periods.get(year=2023, quarter=4)
    url = reverse("period-template", kwargs={"slug": plan.slug, "year": 2023, "quarter": 4})
    return client, url, period, changes


def _filled(template, changes):
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(template))
    cells = {
        row[2]: dict(pair.split("=") for pair in row[4].split(";"))
        for row in workbook["_keys"].iter_rows(values_only=True)
        if row[0] == "indicator"
    }
    sheet = workbook.worksheets[1]
    for code, fields in changes.items():
        for field, value in fields.items():
            sheet[cells[code][field]].value = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def render(rows):
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    lines = [
        "# The quarter in Excel: benchmark",
        "",
        "Written by `python -m bench.spreadsheets --write` (see bench/README.md), on "
        f"{time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cores, load average {load} at the "
        "end (other work on the machine inflates the times).",
        "",
        "| case | seconds | peak RSS MB | goal | met | |",
        "| --- | ---: | ---: | --- | --- | --- |",
    ]
    for row in rows:
        peak = "–" if row["peak_rss_mb"] is None else f"{row['peak_rss_mb']:.1f}"
        lines.append(
            f"| {row['case']} | {row['seconds']:.2f} | {peak} | {row['goal']} "
            f"| {'met' if row['met'] else '**not met**'} | {row['note']} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
