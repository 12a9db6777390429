"""The hidden sheet that says what a template is: for which plan, period and institution, in
which version of the format, and, for each indicator, the version of its value when the
template was made (the optimistic lock) and the cell of each field.

Every key is written as text and the rows are signed with the site's secret key: a template
whose keys were edited (another institution, a newer version of a value, another cell) is
refused as a whole, whatever spreadsheet program saved it."""

import json
import re
from dataclasses import dataclass, field

from django.core import signing
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from .errors import SpreadsheetRefused

FORMAT = "nap1325-quarter-template"
# Raised whenever the layout or the keys change: an older template is refused, not misread.
TEMPLATE_VERSION = 1
SHEET = "_keys"
SALT = "tracker.spreadsheets.keys"
CELL = re.compile(r"[A-Z]{1,3}[1-9][0-9]{0,6}")


def not_a_template():
    return SpreadsheetRefused(
        _(
            "This workbook is not a template of the tracker. Download the template from the "
            "entry page, fill it in and upload it."
        )
    )


def keys_edited():
    return SpreadsheetRefused(
        _(
            "The hidden keys of this template were changed, so the tracker cannot tell which "
            "value each cell is. Download a new template and copy your figures into it."
        )
    )


@dataclass
class ValueKey:
    indicator_id: int
    code: str
    version: int  # of the period's value when the template was made; 0: none yet
    cells: dict = field(default_factory=dict)  # form field name → "C12"


@dataclass
class TemplateKeys:
    plan: str  # slug
    period: str  # ReportingPeriod.key: 2021-Q2, or 2021 for the whole year
    institution_id: int
    language: str
    sheet: str  # the title of the sheet with the indicators
    made_at: str
    values: list = field(default_factory=list)
    version: int = TEMPLATE_VERSION

    def rows(self):
        """The keys as rows of text, signature last."""
        rows = [
            ["format", FORMAT],
            ["version", str(self.version)],
            ["plan", self.plan],
            ["period", self.period],
            ["institution", str(self.institution_id)],
            ["language", self.language],
            ["sheet", self.sheet],
            ["made_at", self.made_at],
        ]
        for value in self.values:
            # One row per indicator, its cells in one text ("value=C5;qualifier=C6;..."): a
            # sheet of a few hundred rows reads fast.
            cells = ";".join(f"{name}={reference}" for name, reference in value.cells.items())
            rows.append(
                ["indicator", str(value.indicator_id), value.code, str(value.version), cells]
            )
        return [*rows, ["signature", signature(rows)]]


def signature(rows):
    return signing.Signer(salt=SALT).signature(json.dumps(rows, ensure_ascii=False))


def _text(value):
    """A key cell as text, whichever program saved it: a number LibreOffice or Excel stored as
    a number reads as the digits written."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _trimmed(row):
    cells = [_text(cell) for cell in row]
    while cells and not cells[-1]:
        cells.pop()
    return cells


def read_keys(raw_rows):
    """TemplateKeys from the rows of the hidden sheet (tuples of cell values), or a refusal:
    not a template, a template of another version, keys edited."""
    rows = [row for row in map(_trimmed, raw_rows) if row]
    if not rows or rows[0][:2] != ["format", FORMAT]:
        raise not_a_template()
    fields = {row[0]: row[1] if len(row) > 1 else "" for row in rows if row[0] != "indicator"}
    version = fields.get("version", "")
    if version != str(TEMPLATE_VERSION):
        raise SpreadsheetRefused(
            _(
                "This template was made by another version of the tracker (template version "
                "%(found)s; this one reads version %(expected)s). Download a new template and "
                "copy your figures into it."
            )
            % {"found": version or "?", "expected": TEMPLATE_VERSION}
        )
    if rows[-1][:1] != ["signature"] or len(rows[-1]) != 2:
        raise keys_edited()
    if not constant_time_compare(rows[-1][1], signature(rows[:-1])):
        raise keys_edited()
    try:
        return _parse(rows[:-1], fields)
    except (KeyError, ValueError, IndexError):
        raise keys_edited() from None


def _parse(rows, fields):
    keys = TemplateKeys(
        plan=fields["plan"],
        period=fields["period"],
        institution_id=int(fields["institution"]),
        language=fields["language"],
        sheet=fields["sheet"],
        made_at=fields["made_at"],
    )
    for row in rows:
        if row[0] != "indicator":
            continue
        value = ValueKey(indicator_id=int(row[1]), code=row[2], version=int(row[3]))
        for pair in row[4].split(";"):
            name, reference = pair.split("=")
            if not CELL.fullmatch(reference):
                raise ValueError(reference)
            value.cells[name] = reference
        keys.values.append(value)
    return keys
