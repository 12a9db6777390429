"""CSV and XLSX writers shared by the indicator table, the annual report and `manage.py
export_values`. Cells are typed: numbers stay numbers, percentages are stored as fractions with
a percent format, FCFA amounts get a number format, so a spreadsheet can compute with them.
Text never runs as a formula (spreadsheet_text)."""

import csv
import io
from dataclasses import dataclass
from decimal import Decimal

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import translation
from django.utils.formats import get_format
from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from tracker import progress

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Percent:
    """A percentage in points (31.03) that a spreadsheet should show as 31.0 %.

    Written already rounded half up to one decimal of a point (progress.rounded), as the pages
    print it: the CSV says 31.0, the XLSX holds the fraction 0.310 with a "0.0%" format, so the
    spreadsheet shows the pages' digits whatever it does with a binary float."""

    points: Decimal

    @property
    def shown(self):
        """The points as the pages show them: 28.5714 → 28.6."""
        return progress.rounded(self.points, progress.PERCENT_PLACES)


@dataclass(frozen=True)
class Fcfa:
    amount: Decimal


@dataclass
class Sheet:
    title: str
    headers: list
    rows: list  # lists of cells: str, int, Decimal, Percent, Fcfa or None
    widths: list | None = None


def csv_dialect():
    """(delimiter, decimal separator) of the active language: a French spreadsheet expects
    "12,5" in cells separated by semicolons, an English one "12.5" separated by commas."""
    decimal_separator = get_format("DECIMAL_SEPARATOR")
    return (";" if decimal_separator == "," else ","), decimal_separator


# OWASP's CSV injection rule: a spreadsheet takes a cell starting with one of these as a formula
# (the tab and carriage return because some skip them and read on).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(value, worksheet=None):
    """Text made inert for a spreadsheet: a name, narrative or source typed into the tracker
    (`=HYPERLINK("http://evil.example","x")`, `@SUM(1,1)`...) must not run as a formula, fetch
    a link or leak data in the spreadsheet of whoever opens an export.

    - CSV (no worksheet): text whose first character is `=`, `+`, `-`, `@`, a tab or a carriage
      return gets a leading single quote (OWASP's CSV injection rule); other text is unchanged.
    - XLSX (a write-only worksheet): every text becomes a string cell, never a formula (openpyxl
      would store a str starting with `=` as one), its text unchanged; formula-like text also
      gets Excel's quote prefix, so that editing the cell keeps it text.

    Anything else (None, numbers: int, float, Decimal, Percent, Fcfa, dates) is returned as it
    is: numbers stay numbers, a negative one is never quoted; only text is neutralised."""
    if isinstance(value, Promise):  # translatable labels
        value = str(value)
    if not isinstance(value, str):
        return value
    formula_like = value.startswith(FORMULA_TRIGGERS)
    if worksheet is None:
        return "'" + value if formula_like else value
    cell = WriteOnlyCell(worksheet, value=value)
    cell.data_type = "s"  # set after the value, which made a str starting with "=" a formula
    if formula_like:
        cell.quotePrefix = True
    return cell


def cell_text(cell, decimal_separator="."):
    """A cell as CSV text: numbers without grouping, so a spreadsheet reads them as numbers;
    text through spreadsheet_text, so it never runs as a formula."""
    if cell is None:
        return ""
    if isinstance(cell, Percent):
        return format(cell.shown, "f").replace(".", decimal_separator)
    if isinstance(cell, Fcfa):
        cell = cell.amount
    if isinstance(cell, Decimal):
        return format(cell.normalize(), "f").replace(".", decimal_separator)
    if isinstance(cell, int | float):
        return str(cell)
    return spreadsheet_text(str(cell))


def csv_cells(row, decimal_separator="."):
    """A row (headers or cells) as the CSV texts every CSV writer writes."""
    return [cell_text(cell, decimal_separator) for cell in row]


class _Echo:
    def write(self, value):
        return value


def csv_lines(headers, rows):
    """The CSV's lines, as text: UTF-8 with a byte-order mark once encoded, so that Excel opens
    the accents right; every cell through csv_cells (numbers as numbers, text neutralised)."""
    delimiter, decimal_separator = csv_dialect()
    writer = csv.writer(_Echo(), delimiter=delimiter)
    yield "\ufeff" + writer.writerow(csv_cells(headers, decimal_separator))
    for row in rows:
        yield writer.writerow(csv_cells(row, decimal_separator))


def csv_bytes(headers, rows):
    """The whole CSV in memory, for a file that is stored or cached (a published report)."""
    return "".join(csv_lines(headers, rows)).encode("utf-8")


def csv_response(filename, headers, rows):
    """Streams the rows (any iterable); memory stays flat however many rows."""
    language = translation.get_language()

    def lines():
        # The rows are made while the response streams, after the view has returned: their
        # labels keep the language of the request.
        with translation.override(language):
            yield from csv_lines(headers, rows)

    response = StreamingHttpResponse(lines(), content_type=CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_bytes(sheets):
    # write_only keeps memory flat on large exports; rows are streamed into the file.
    workbook = Workbook(write_only=True)
    for sheet in sheets:
        worksheet = workbook.create_sheet(title=sheet.title[:31])
        worksheet.freeze_panes = "A2"
        widths = sheet.widths or [max(12, min(60, len(str(h)) + 4)) for h in sheet.headers]
        for index, width in enumerate(widths, start=1):
            worksheet.column_dimensions[get_column_letter(index)].width = width
        worksheet.append(_header_cells(worksheet, sheet.headers))
        for row in sheet.rows:
            worksheet.append([_xlsx_cell(worksheet, cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(filename, sheets):
    response = HttpResponse(xlsx_bytes(sheets), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _header_cells(worksheet, headers):
    cells = []
    for header in headers:
        cell = spreadsheet_text(str(header), worksheet)
        cell.font = Font(bold=True)
        cells.append(cell)
    return cells


def _xlsx_cell(worksheet, value):
    if isinstance(value, Percent):
        # The fraction with three decimals (0.286 for 28.6 %), computed in Decimal.
        cell = WriteOnlyCell(worksheet, value=float(value.shown / 100))
        cell.number_format = "0.0%"
        return cell
    if isinstance(value, Fcfa):
        cell = WriteOnlyCell(worksheet, value=int(value.amount))
        cell.number_format = '#,##0 "FCFA"'
        return cell
    if isinstance(value, Decimal):
        number = int(value) if value == value.to_integral_value() else float(value)
        return WriteOnlyCell(worksheet, value=number)
    if isinstance(value, str | Promise):
        return spreadsheet_text(value, worksheet)  # a string cell, never a formula
    return WriteOnlyCell(worksheet, value=value)
