"""A value's history as its page shows it: who changed what, from what to what, and why, in
the reader's language."""

from tracker.formatting import format_number
from tracker.models import (
    IndicatorValue,
)

FIELD_LABELS_SHOWN = [
    "value",
    "numerator",
    "denominator",
    "status",
    "return_reason",
    "narrative",
    "source",
]


def _shown_in_history(name, stored):
    """A stored field as the history page shows it: statuses by their label and figures
    formatted, in the reader's language."""
    if stored is None or stored == "":
        return stored
    if name == "status":
        return IndicatorValue.Status(stored).label
    if name in ("value", "numerator", "denominator"):
        return format_number(stored)
    return stored


def value_timeline(record):
    """Each change of a value, newest first: who, when, which fields from what to what, and
    the reason given."""
    entries = list(record.history.select_related("history_user").order_by("history_date"))
    timeline = []
    previous = None
    for entry in entries:
        changes = []
        if previous is None:
            changes = [
                (name, None, getattr(entry, name))
                for name in FIELD_LABELS_SHOWN
                if getattr(entry, name) not in (None, "")
            ]
        else:
            delta = entry.diff_against(previous, included_fields=FIELD_LABELS_SHOWN)
            changes = [(change.field, change.old, change.new) for change in delta.changes]
        timeline.append(
            {
                "when": entry.history_date,
                "who": entry.history_user,
                "kind": entry.get_history_type_display(),
                "changes": [
                    (
                        IndicatorValue._meta.get_field(name).verbose_name,
                        _shown_in_history(name, old),
                        _shown_in_history(name, new),
                    )
                    for name, old, new in changes
                ],
                "reason": entry.history_change_reason or "",
                "version": entry.version,
            }
        )
        previous = entry
    timeline.reverse()
    return timeline
