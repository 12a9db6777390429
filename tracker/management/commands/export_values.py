"""Every reported value with its breakdown, as one CSV, however large the database.

Values are read as tuples in chunks from a server-side cursor (PostgreSQL) or by fetchmany
(SQLite), each chunk's breakdown rows with one more query, and every line is written as soon as
it is built, so memory stays flat whatever the number of values. Lines are written by the web
exports' csv_cells: numbers as numbers, text never a formula (tabular.spreadsheet_text)."""

import csv
import resource
import time
from collections import defaultdict
from itertools import islice

from django.core.management.base import BaseCommand
from django.db import transaction

from tracker.models import BreakdownRow, DimensionValue, IndicatorValue, chronological_order
from tracker.reports.tabular import csv_cells

HEADERS = [
    "plan",
    "indicator",
    "unit_kind",
    "year",
    "quarter",
    "status",
    "version",
    "value",
    "numerator",
    "denominator",
    "category",
    "cross_category",
    "cell_value",
    "cell_numerator",
    "cell_denominator",
    "source",
]


VALUE_FIELDS = (
    "pk",
    "indicator__plan__slug",
    "indicator__code",
    "indicator__unit_kind",
    "period__year",
    "period__quarter",
    "status",
    "version",
    "value",
    "numerator",
    "denominator",
    "source",
)
CELL_FIELDS = (
    "indicator_value_id",
    "category_id",
    "cross_category_id",
    "value",
    "numerator",
    "denominator",
)


def values_queryset(plan_slug=None):
    """Every value in export order, as tuples of VALUE_FIELDS (tuples, not model instances:
    a tenth of the memory and of the time per line)."""
    values = IndicatorValue.objects.order_by(
        "indicator__plan__slug",
        "indicator__code",
        *chronological_order("period__"),
        "pk",
    )
    if plan_slug:
        values = values.filter(indicator__plan__slug=plan_slug)
    return values.values_list(*VALUE_FIELDS)


def export_lines(values, chunk_size=5000):
    """Yields the CSV lines (lists of cells): a value's own line, then one per breakdown cell.
    The values come from one cursor in chunks; each chunk's cells, with one more query."""
    categories = dict(DimensionValue.objects.values_list("pk", "code"))
    yield HEADERS
    rows = values.iterator(chunk_size=chunk_size)
    while chunk := list(islice(rows, chunk_size)):
        cells = defaultdict(list)
        for cell in (
            BreakdownRow.objects.filter(indicator_value_id__in=[value[0] for value in chunk])
            .order_by("indicator_value_id", "category_id", "cross_category_id")
            .values_list(*CELL_FIELDS)
        ):
            cells[cell[0]].append(cell)
        for pk, *head, value, numerator, denominator, source in chunk:
            yield [*head, value, numerator, denominator, "", "", None, None, None, source]
            for _pk, category, cross, cell_value, cell_numerator, cell_denominator in cells[pk]:
                yield [
                    *head,
                    None,
                    None,
                    None,
                    categories.get(category, category),
                    categories.get(cross, cross) if cross else "",
                    cell_value,
                    cell_numerator,
                    cell_denominator,
                    "",
                ]


def peak_rss_mb():
    """This process's peak resident memory. VmHWM belongs to the current program image, so a
    parent's memory before exec is not counted (ru_maxrss would count it)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Command(BaseCommand):
    help = (
        "Write every indicator value with its breakdown rows as CSV (one line per value, then "
        "one per breakdown cell), streaming, with flat memory."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="File to write (default: standard output).")
        parser.add_argument("--plan", help="Only this plan (slug).")
        parser.add_argument("--chunk-size", type=int, default=5000)

    def handle(self, *args, **options):
        started = time.monotonic()
        path = options["output"]
        if path:
            with open(path, "w", newline="", encoding="utf-8") as stream:
                lines = self.write(stream, options)
        else:
            lines = self.write(self.stdout._out, options)
        self.stderr.write(
            f"{lines - 1:,} lines (values and breakdown cells) in "
            f"{time.monotonic() - started:.1f} s; peak RSS {peak_rss_mb():.1f} MB."
        )

    def write(self, stream, options):
        writer = csv.writer(stream)
        lines = 0
        # One transaction: a consistent snapshot, and PostgreSQL's server-side cursor needs
        # no WITH HOLD copy of the whole result.
        with transaction.atomic():
            values = values_queryset(options["plan"])
            for line in export_lines(values, options["chunk_size"]):
                # Shared with the web exports: numbers as numbers, text never a formula.
                writer.writerow(csv_cells(line))
                lines += 1
        return lines
