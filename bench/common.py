"""What the benchmark's modules share: where it writes, the data it builds and measures, and
the order of its pages and sections."""

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
    "published_pdf",
]
SECTION_ORDER = ["S-sqlite", "S-postgres", "L-sqlite", "L-postgres"]
DB_LABELS = {"sqlite": "SQLite", "postgres": "PostgreSQL"}
WARMUPS = 2
