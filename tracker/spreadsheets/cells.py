"""A template's cell as the entry form would receive it: the text typed in the form's field.

Numbers stay numbers in a spreadsheet (a French Excel shows 12,5, the file holds 12.5); a number
typed as text ("1 879", "12,5") is handed to the form as typed, so that the entry form's own
parser (FigureField) reads it, in the user's language. The lists of the template (yes/no, scale
levels, the qualifier) are read back in either language."""

import math
import re
from decimal import Decimal

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from tracker.models import Indicator

from .template import qualifier_labels, yes_no_labels

UnitKind = Indicator.UnitKind
TEXT_FIELDS = ("narrative", "source")
FIELDS_READ = ("value", "numerator", "denominator", "qualifier", *TEXT_FIELDS)
LEADING_NUMBER = re.compile(r"\s*(\d+)")


def _in_every_language(labels):
    """{label in any language, lower case: value} for a template list."""
    found = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for value, label in labels().items():
                found[str(label).strip().lower()] = value
    return found


def form_text(indicator, record, name, cell):
    """(the text the form gets for field `name`, a refusal or None) for a cell (or None)."""
    if cell is None or cell.value is None:
        return "", None
    value = cell.value
    if cell.is_formula:
        if name in TEXT_FIELDS:
            return "", _("A formula where text is expected: type the text itself.")
        return "", _("A formula where a figure is expected: type the figure itself.")
    if name == "qualifier":
        return _choice(value, _in_every_language(qualifier_labels)), None
    if name in TEXT_FIELDS:
        return _text(value, getattr(record, name, "") if record else ""), None
    if name == "value" and indicator.unit_kind == UnitKind.MILESTONE:
        if isinstance(value, bool | int | float) and value in (0, 1):
            return str(int(value)), None
        text = _choice(value, _in_every_language(yes_no_labels))
        if text not in ("0", "1"):
            return "", _("Choose Yes or No from the list.")
        return text, None
    if name == "value" and indicator.unit_kind == UnitKind.SCALE:
        if isinstance(value, int | float) and float(value).is_integer():
            return str(int(value)), None
        found = LEADING_NUMBER.match(str(value))
        if not found:
            return "", _("Choose one of the indicator's scale levels from the list.")
        return found.group(1), None
    return _number(value), None


def _choice(value, labels):
    text = str(value).strip()
    return labels.get(text.lower(), text)


def _text(value, stored):
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    # XML keeps a line break as "\n": the same text stored with "\r\n" is unchanged.
    if stored and text.replace("\r\n", "\n") == stored.replace("\r\n", "\n"):
        return stored
    return text


def _number(value):
    if isinstance(value, bool):
        return str(value)  # the form refuses it as a number
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        if value.is_integer():
            return str(int(value))
        # The shortest text that reads back as this float: 12.5, not 12.4999999999.
        return format(Decimal(repr(value)), "f")
    # Text ("1 879", "12,5") as typed; a date or anything else, for the form to refuse.
    return str(value).strip()
