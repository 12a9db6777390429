"""How a spreadsheet is refused: as a whole (not a template, a hostile or broken file, another
plan's template...) or cell by cell, each error named by its sheet and cell as a spreadsheet
names them ("Indicateurs!F14")."""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from tracker.formatting import colon


class SpreadsheetRefused(ValidationError):
    """The file as a whole is refused, with what to do; nothing of it is read further or
    stored."""

    def __init__(self, message):
        super().__init__(message, code="spreadsheet_refused")

    @property
    def message_text(self):
        return self.messages[0]


def cell_name(sheet, reference):
    """ "Indicateurs!F14"; a sheet name with spaces or signs is quoted, as spreadsheets do."""
    if re.fullmatch(r"\w+", sheet):
        return f"{sheet}!{reference}"
    return "'{}'!{}".format(sheet.replace("'", "''"), reference)


@dataclass
class CellError:
    """One reason a value of the file cannot be stored, and the cell it is about."""

    where: str  # "Indicateurs!F14"
    message: str
    indicator: str = ""  # the indicator's code, for the summary

    def __str__(self):
        # The colon the language writes: "F14 : …" in French, "F14: …" in English.
        return f"{self.where}{colon()} {self.message}"
