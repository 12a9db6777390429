"""How long free text may be, enforced by the form, the model, the services and the database.

A narrative of a megabyte is a paste gone wrong, not a report; the limits leave room for
several pages of real text in each field."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.formats import number_format
from django.utils.translation import gettext as _

NARRATIVE = 5_000
SOURCE = 1_000
NOTE = 2_000
REASON = 2_000
DECISIONS = 10_000
REPORT_SECTION = 20_000
COMMENT = 5_000


def length_constraints(prefix, limits):
    """A CHECK constraint per text field ({name: limit}), so that no path (update(), raw SQL)
    stores more than the form accepts."""
    return [
        models.CheckConstraint(
            condition=LessThanOrEqual(Length(name), limit), name=f"{prefix}_{name}_length"
        )
        for name, limit in limits.items()
    ]


def check_lengths(model, texts):
    """Raises a ValidationError {field: message} for each of `texts` ({field name: text})
    longer than the model field's max_length."""
    errors = {}
    for name, text in texts.items():
        limit = model._meta.get_field(name).max_length
        if text and len(text) > limit:
            errors[name] = _(
                "At most %(limit)s characters, please (this text has %(length)s): shorten it "
                "or attach the full text as evidence."
            ) % {
                "limit": number_format(limit, force_grouping=True),
                "length": number_format(len(text), force_grouping=True),
            }
    if errors:
        raise ValidationError(errors)
