"""Reading a filled template: the raw checks first (tracker.spreadsheets.safety), then openpyxl in
read-only mode, formulas kept as formulas (data_only=False) so that a formula typed where a
figure is expected is seen as one; only the cells the signed keys name are read."""

import io
import warnings
from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

from . import keys as template_keys
from . import safety
from .errors import SpreadsheetRefused


@dataclass
class Cell:
    value: object  # None, int, float, str, datetime...
    is_formula: bool = False


@dataclass
class FilledTemplate:
    keys: template_keys.TemplateKeys
    cells: dict  # "C12" → Cell, for every cell the keys name


def read_template(data):
    """The keys and the named cells of a filled template (bytes), or SpreadsheetRefused."""
    safety.check_workbook(data)
    with warnings.catch_warnings():
        # openpyxl warns about features it drops (data validation extensions...): irrelevant.
        warnings.simplefilter("ignore")
        try:
            workbook = load_workbook(
                io.BytesIO(data), read_only=True, data_only=False, keep_links=False
            )
        except Exception:  # openpyxl raises many kinds on a malformed part
            raise safety.not_a_workbook() from None
        try:
            return _read(workbook)
        finally:
            workbook.close()


def _read(workbook):
    if template_keys.SHEET not in workbook.sheetnames:
        raise template_keys.not_a_template()
    keys = template_keys.read_keys(
        workbook[template_keys.SHEET].iter_rows(max_col=6, values_only=True)
    )
    if keys.sheet not in workbook.sheetnames:
        raise SpreadsheetRefused(
            _(
                "The sheet “%(sheet)s” is missing from this workbook: it was renamed or "
                "deleted. Download a new template and copy your figures into it."
            )
            % {"sheet": keys.sheet}
        )
    wanted = {}
    for value in keys.values:
        for reference in value.cells.values():
            column, row = coordinate_from_string(reference)
            wanted[(row, column_index_from_string(column))] = reference
    if not wanted:
        return FilledTemplate(keys=keys, cells={})
    last_row = max(row for row, _column in wanted)
    last_column = max(column for _row, column in wanted)
    cells = {}
    sheet = workbook[keys.sheet]
    for row_number, row in enumerate(
        sheet.iter_rows(min_row=1, max_row=last_row, max_col=last_column), start=1
    ):
        for column_number, cell in enumerate(row, start=1):
            reference = wanted.get((row_number, column_number))
            if reference is not None:
                value = getattr(cell, "value", None)
                cells[reference] = Cell(
                    value=value,
                    is_formula=getattr(cell, "data_type", None) == "f"
                    or (isinstance(value, str) and value.startswith("=")),
                )
    return FilledTemplate(keys=keys, cells=cells)
