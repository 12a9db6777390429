"""The first sheet of the quarterly template: what it is for and how to fill it in, in the
reader's language."""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Font

from tracker.reports.tabular import spreadsheet_text


def write_instructions(ws, period, institution, sheet_title):
    ws.column_dimensions["A"].width = 100
    title = spreadsheet_text(
        _("%(period)s — %(institution)s — %(plan)s")
        % {
            "period": period.label,
            "institution": institution.short_name,
            "plan": period.plan.title,
        },
        ws,
    )
    title.font = Font(bold=True, size=14)
    ws.append([title])
    ws.append(
        [
            spreadsheet_text(
                _("Template made on %(date)s by the NAP 1325 Tracker, for %(institution)s.")
                % {
                    "date": date_format(timezone.localtime(), "SHORT_DATETIME_FORMAT"),
                    "institution": institution,
                },
                ws,
            )
        ]
    )
    ws.append([])
    for line in (
        _("1. Fill in the yellow cells of the sheet “%(sheet)s”: one block per indicator.")
        % {"sheet": sheet_title},
        _("2. Type figures as numbers. Counts and FCFA amounts are whole numbers."),
        _(
            "3. A percentage is entered as its numerator and denominator; the sheet shows the "
            "percentage."
        ),
        _(
            "4. The breakdown cells must add up to the value; a cell left empty is unknown, "
            "never a zero. The grey cells add up for you."
        ),
        _("5. “The figure is”: exact, or the bound your source gives (“over 874” is “at least”)."),
        _(
            "6. Leave the codes, the grey cells and the hidden sheets as they are: the tracker "
            "reads them to know which value each cell is."
        ),
        _(
            "7. On the entry page, choose “Upload a filled template”. You will see what the "
            "file would create and change, and every error with its cell, before anything is "
            "stored."
        ),
        _(
            "8. A value changed in the tracker after this template was made is refused: "
            "download a new template and copy your figures into it."
        ),
        _(
            "9. Values awaiting validation or validated are locked here; the secretariat "
            "corrects them on the entry page."
        ),
    ):
        cell = spreadsheet_text(line, ws)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.append([cell])
    ws.protection.sheet = True
