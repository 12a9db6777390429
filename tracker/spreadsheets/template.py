"""The quarterly template: an XLSX for one institution and one period, in the reader's language,
pre-filled with the period's values, to fill in offline and upload (DESIGN.md §4).

Sheets: instructions; the indicators, one block each (figure, qualifier, breakdown grid with
its totals as formulas, narrative, source), the cells to fill unlocked and checked by the
spreadsheet itself (numbers within the unit's limits, lists for yes/no, scale levels and the
qualifier), everything else locked (sheet protection without a password: it guards against
slips, the tracker checks everything again); two hidden sheets, the lists and the signed keys
(tracker.spreadsheets.keys). Every text goes through spreadsheet_text: a name or a narrative
can never run as a formula."""

import io

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from tracker import progress
from tracker.formatting import format_annual
from tracker.models import Indicator, IndicatorValue, limits
from tracker.reports.tabular import spreadsheet_text

from .instructions import write_instructions
from .keys import SHEET as KEYS_SHEET
from .keys import TemplateKeys, ValueKey

UnitKind = Indicator.UnitKind
Status = IndicatorValue.Status
LISTS_SHEET = "_lists"
FIRST_INPUT_COLUMN = 3  # C: A holds the codes, B the labels
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
FORMULA_FILL = PatternFill("solid", fgColor="EDEDED")
UNLOCKED = Protection(locked=False)
# Excel keeps 15 significant digits: larger counts would not survive the round trip.
LARGEST_NUMBER = "999999999999999"


def data_sheet_title():
    return _("Indicators")[:31]


def template_filename(period, institution):
    return f"{slugify(period.plan.slug)}-{period.key}-{slugify(institution.short_name)}.xlsx"


def qualifier_labels():
    """{qualifier value: its label in the active language}, as the list offers them."""
    return {value: str(label) for value, label in progress.Qualifier.choices}


def yes_no_labels():
    return {"1": _("Yes"), "0": _("No")}


def scale_label(level):
    return f"{level.value} – {level.name}"


def template_bytes(*, period, institution, locked_for):
    """The template's bytes. `locked_for(record)` says whether the user may not change a
    stored value here (awaiting validation, validated): its cells are left locked."""
    indicators = Indicator.objects.for_entry(period, institution)
    workbook = Workbook(write_only=True)
    instructions = workbook.create_sheet(_("Instructions")[:31])
    sheet = _IndicatorSheet(workbook, period)
    lists = workbook.create_sheet(LISTS_SHEET)
    keys_sheet = workbook.create_sheet(KEYS_SHEET)
    write_instructions(instructions, period, institution, sheet.ws.title)
    values = [
        sheet.block(indicator, locked=bool(indicator.record and locked_for(indicator.record)))
        for indicator in indicators
    ]
    sheet.finish()
    for row in sheet.lists:
        lists.append([spreadsheet_text(text, lists) for text in row])
    keys = TemplateKeys(
        plan=period.plan.slug,
        period=period.key,
        institution_id=institution.pk,
        language=get_language() or "",
        sheet=sheet.ws.title,
        made_at=timezone.now().isoformat(timespec="seconds"),
        values=values,
    )
    for row in keys.rows():
        keys_sheet.append([spreadsheet_text(text, keys_sheet) for text in row])
    for hidden in (lists, keys_sheet):
        hidden.sheet_state = "hidden"
        hidden.protection.sheet = True
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class _IndicatorSheet:
    """The sheet of indicators, written row after row; each block returns its keys."""

    def __init__(self, workbook, period):
        self.ws = workbook.create_sheet(data_sheet_title())
        self.period = period
        self.row = 0
        self.lists = [list(qualifier_labels().values()), list(yes_no_labels().values())]
        self.validations = {}
        self.ws.column_dimensions["A"].width = 10
        self.ws.column_dimensions["B"].width = 48
        for index in range(FIRST_INPUT_COLUMN, FIRST_INPUT_COLUMN + 24):
            self.ws.column_dimensions[get_column_letter(index)].width = 14
        heading = self.text(
            _("%(period)s: the values of your indicators") % {"period": period.label}
        )
        heading.font = Font(bold=True, size=13)
        self.append([heading])
        self.append([])

    # Cells

    def text(self, value, bold=False, italic=False):
        cell = spreadsheet_text(str(value), self.ws)
        if bold or italic:
            cell.font = Font(bold=bold, italic=italic)
        return cell

    def input(self, value, number_format=None, locked=False):
        if isinstance(value, str):
            cell = spreadsheet_text(value, self.ws)
        else:
            cell = WriteOnlyCell(self.ws, value=value)
        if number_format:
            cell.number_format = number_format
        if not locked:
            cell.fill = INPUT_FILL
            cell.protection = UNLOCKED
        return cell

    def formula(self, text, number_format="#,##0"):
        cell = WriteOnlyCell(self.ws, value=text)
        cell.fill = FORMULA_FILL
        cell.number_format = number_format
        return cell

    def append(self, cells):
        self.ws.append(cells)
        self.row += 1
        return self.row

    def validate(self, key, reference, **options):
        """Adds the cell to the data validation `key` (made once with `options`)."""
        if key not in self.validations:
            validation = DataValidation(
                showErrorMessage=True, errorStyle="stop", allow_blank=True, **options
            )
            self.ws.data_validations.append(validation)
            self.validations[key] = validation
        self.validations[key].add(reference)

    def list_range(self, index):
        """The hidden list `index` as a data validation formula."""
        length = len(self.lists[index])
        return f"'{LISTS_SHEET}'!$A${index + 1}:${get_column_letter(max(length, 1))}${index + 1}"

    def finish(self):
        self.ws.protection.sheet = True
        # Widening a column or a row is harmless; everything else stays guarded.
        self.ws.protection.formatColumns = False
        self.ws.protection.formatRows = False

    # Rows

    def labelled(self, label, cell):
        """A row "label | cell"; returns the cell's reference."""
        row = self.append([None, self.text(label), cell])
        return f"C{row}"

    def block(self, indicator, locked):
        record = indicator.record
        cells = {}
        name = self.text(indicator.name, bold=True)
        name.alignment = Alignment(wrap_text=True, vertical="top")
        row = self.append([self.text(indicator.code, bold=True), name])
        cells["code"] = f"A{row}"
        self.append([None, self.text(self.describe(indicator, record, locked), italic=True)])
        self.figure_rows(indicator, record, cells, locked)
        if indicator.unit_kind in (UnitKind.COUNT, UnitKind.AMOUNT):
            self.breakdown_rows(indicator, record, cells, locked)
        for field, label, limit in (
            ("narrative", _("Narrative"), limits.NARRATIVE),
            ("source", _("Source"), limits.SOURCE),
        ):
            cells[field] = self.labelled(
                label, self.input(getattr(record, field, "") or None, locked=locked)
            )
            self.validate(
                field,
                cells[field],
                type="textLength",
                operator="lessThanOrEqual",
                formula1=str(limit),
                error=_("At most %(limit)s characters.") % {"limit": limit},
            )
        self.append([])
        return ValueKey(
            indicator_id=indicator.pk,
            code=indicator.code,
            version=record.version if record else 0,
            cells=cells,
        )

    def describe(self, indicator, record, locked):
        parts = [str(indicator.get_unit_kind_display())]
        parts.append(
            _("Status: %(status)s") % {"status": record.get_status_display()}
            if record
            else _("No value yet")
        )
        if indicator.year_target:
            parts.append(
                _("Target %(year)s: %(target)s")
                % {
                    "year": self.period.year,
                    "target": format_annual(indicator, indicator.year_target.value),
                }
            )
        if locked:
            parts.append(_("locked: correct it on the entry page"))
        return " · ".join(parts)

    def figure_rows(self, indicator, record, cells, locked):
        kind = indicator.unit_kind
        if kind == UnitKind.PERCENTAGE:
            for field, label in (("numerator", _("Numerator")), ("denominator", _("Denominator"))):
                number = getattr(record, field, None)
                cells[field] = self.labelled(
                    label, self.input(_number(number), "General", locked=locked)
                )
                self.validate(
                    field,
                    cells[field],
                    type="decimal",
                    operator="between",
                    formula1="0" if field == "numerator" else "0.0001",
                    formula2=LARGEST_NUMBER,
                    error=_("A number, zero or more; the denominator above zero."),
                )
            numerator, denominator = cells["numerator"], cells["denominator"]
            self.labelled(
                _("Percentage"),
                self.formula(
                    f"=IF(AND(ISNUMBER({numerator}),ISNUMBER({denominator}),{denominator}>0),"
                    f'{numerator}/{denominator},"")',
                    "0.0%",
                ),
            )
        elif kind == UnitKind.MILESTONE:
            shown = yes_no_labels().get(_level(record)) if record else None
            cells["value"] = self.labelled(_("Reached"), self.input(shown, locked=locked))
            self.validate("milestone", cells["value"], type="list", formula1=self.list_range(1))
        elif kind == UnitKind.SCALE:
            levels = list(indicator.scale_levels.all())
            self.lists.append([scale_label(level) for level in levels])
            chosen = next((level for level in levels if str(level.value) == _level(record)), None)
            cells["value"] = self.labelled(
                _("Level"), self.input(scale_label(chosen) if chosen else None, locked=locked)
            )
            self.validate(
                f"scale-{indicator.pk}",
                cells["value"],
                type="list",
                formula1=self.list_range(len(self.lists) - 1),
            )
        else:
            label = {UnitKind.AMOUNT: _("Amount (FCFA)"), UnitKind.RANK: _("Rank")}.get(
                kind, _("Value")
            )
            whole = kind in (UnitKind.COUNT, UnitKind.AMOUNT, UnitKind.RANK)
            cells["value"] = self.labelled(
                label,
                self.input(
                    _number(record.value if record else None),
                    "#,##0" if whole else "General",
                    locked=locked,
                ),
            )
            self.validate(
                kind,
                cells["value"],
                type="whole" if whole else "decimal",
                operator="between",
                formula1="1" if kind == UnitKind.RANK else "0",
                formula2=LARGEST_NUMBER,
                error=_("A rank is a whole number from 1 (first).")
                if kind == UnitKind.RANK
                else _("A whole number, zero or more."),
            )
        if kind in (UnitKind.COUNT, UnitKind.AMOUNT, UnitKind.PERCENTAGE):
            qualifier = record.qualifier if record else progress.Qualifier.EXACT
            cells["qualifier"] = self.labelled(
                _("The figure is"), self.input(qualifier_labels()[qualifier], locked=locked)
            )
            self.validate("qualifier", cells["qualifier"], type="list", formula1=self.list_range(0))

    def breakdown_rows(self, indicator, record, cells, locked):
        """The grid as the entry page lays it out: the first dimension's categories down, the
        second's across (or one column), each row and column totalled by a formula."""
        dimensions = list(indicator.dimensions.all())[:2]
        if not dimensions:
            return
        rows = list(dimensions[0].values.all())
        columns = list(dimensions[1].values.all()) if len(dimensions) > 1 else [None]
        stored = {
            (row.category_id, row.cross_category_id): row.value
            for row in (record.breakdown_rows.all() if record else [])
        }
        first = get_column_letter(FIRST_INPUT_COLUMN)
        last = get_column_letter(FIRST_INPUT_COLUMN + len(columns) - 1)
        total_column = get_column_letter(FIRST_INPUT_COLUMN + len(columns))
        header = [None, self.text(_("Breakdown: the cells must add up to the value."), bold=True)]
        header += [
            self.text(column.name if column else _("Value"), bold=True) for column in columns
        ]
        self.append([*header, self.text(_("Total"), bold=True)])
        top = self.row + 1
        for category in rows:
            row = top + rows.index(category)
            line = [None, self.text(category.name)]
            for position, column in enumerate(columns):
                key = (category.pk, column.pk if column else None)
                name = f"cell_{key[0]}_{key[1] or 'x'}"
                cells[name] = f"{get_column_letter(FIRST_INPUT_COLUMN + position)}{row}"
                line.append(self.input(_number(stored.get(key)), "#,##0", locked=locked))
                self.validate(
                    "cell",
                    cells[name],
                    type="whole",
                    operator="between",
                    formula1="0",
                    formula2=LARGEST_NUMBER,
                    error=_("Breakdown cells are whole numbers, zero or more."),
                )
            self.append([*line, self.formula(f"=SUM({first}{row}:{last}{row})")])
        bottom = self.row
        totals = [None, self.text(_("Total"), bold=True)]
        for position in range(len(columns) + 1):
            letter = get_column_letter(FIRST_INPUT_COLUMN + position)
            totals.append(self.formula(f"=SUM({letter}{top}:{letter}{bottom})"))
        row = self.append(totals)
        cells["breakdown_total"] = f"{total_column}{row}"
        grid = f"{first}{top}:{last}{bottom}"
        self.labelled(
            _("Breakdown minus the value (should be 0)"),
            self.formula(f'=IF(COUNT({grid})=0,"",{total_column}{row}-{cells["value"]})'),
        )


def _number(number):
    """A stored Decimal as a spreadsheet number: whole numbers as int, others as float."""
    if number is None:
        return None
    return int(number) if number == number.to_integral_value() else float(number)


def _level(record):
    return str(int(record.value)) if record and record.value is not None else None
