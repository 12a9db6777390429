"""The saved figures of an annual report read back (tracker.reports.annual.build, or the copy a
published version keeps): numbers from their text, and the labels of a status, a basis, a
qualifier or a narrative section, for the pages and the spreadsheets alike."""

from decimal import Decimal

from django.utils.translation import gettext as _

from tracker import progress


def number(text):
    return None if text is None else Decimal(text)


def status_of(value):
    return progress.Status(value)


def basis_label(row):
    """Where the year's figure comes from; empty without a figure (or for reports published
    before the basis was kept)."""
    if row["annual"] is None or not row.get("basis"):
        return None
    return str(progress.Basis(row["basis"]).label)


def qualifier_label(qualifier):
    """The bound a figure is, for the column beside its number; empty when exact."""
    if not qualifier or qualifier == progress.Qualifier.EXACT:
        return None
    return str(progress.Qualifier(qualifier).label)


def section_label(name):
    return {
        "summary": _("Summary"),
        "achievements": _("Achievements"),
        "challenges": _("Challenges"),
        "recommendations": _("Recommendations"),
    }[name]
