"""Framework content stored in both languages (DESIGN.md §6), with django-modeltranslation.

Each field registered here gets a French and an English column (`name_fr`, `name_en`); the
admin edits both side by side, and reading `name` gives the user's language, falling back to
the other one when it is empty (MODELTRANSLATION_FALLBACK_LANGUAGES). Region names, codes and
internal notes are not translated: they are proper nouns, identifiers or the secretariat's own
working notes. Acronyms are, where they differ (PNUD / UNDP).

The history tables (django-simple-history) get the same columns, so that every version keeps
both languages and the history pages can compare and revert them.
"""

from modeltranslation.fields import TranslationField
from modeltranslation.translator import TranslationOptions, translator

from tracker.models import (
    Activity,
    AlignmentTag,
    Axis,
    Dimension,
    DimensionValue,
    FundingSource,
    Indicator,
    Institution,
    Opportunity,
    Plan,
    Result,
    ScaleLevel,
    Source,
)


def register(model):
    """Registers the model and its history model with the same translation options."""

    def register_options(options):
        translator.register(model, options)
        translator.register(model.history.model, options)
        keep_translations_in_history(model, model.history.model)
        return options

    return register_options


def keep_translations_in_history(model, history):
    """django-simple-history fixes the fields it compares and restores when it builds the
    history model, before the translation columns exist: add them, so that the history's
    differences show a change in either language and reverting to a version restores both."""
    localized = [field for field in model._meta.fields if isinstance(field, TranslationField)]
    history.tracked_fields = [*history.tracked_fields, *localized]
    rebuild = history.instance.fget

    def instance(version):
        obj = rebuild(version)
        for field in localized:
            setattr(obj, field.attname, getattr(version, field.attname))
        return obj

    history.instance = property(instance)


@register(Plan)
class PlanTranslationOptions(TranslationOptions):
    fields = ("title", "aim")


@register(Axis)
class AxisTranslationOptions(TranslationOptions):
    fields = ("name", "objective")


@register(Result)
class ResultTranslationOptions(TranslationOptions):
    fields = ("statement",)


@register(Opportunity)
class OpportunityTranslationOptions(TranslationOptions):
    fields = ("statement",)


@register(Indicator)
class IndicatorTranslationOptions(TranslationOptions):
    fields = ("name", "definition")


@register(ScaleLevel)
class ScaleLevelTranslationOptions(TranslationOptions):
    fields = ("name",)


@register(Activity)
class ActivityTranslationOptions(TranslationOptions):
    fields = ("title",)


# The names are unique in each language: an empty translation is stored as NULL, not as "",
# so that any number of rows may leave the same language empty.
@register(Institution)
class InstitutionTranslationOptions(TranslationOptions):
    # Acronyms differ by language for the UN (PNUD / UNDP).
    fields = ("name", "acronym")
    empty_values = {"name": None}


@register(AlignmentTag)
class AlignmentTagTranslationOptions(TranslationOptions):
    fields = ("name",)


@register(FundingSource)
class FundingSourceTranslationOptions(TranslationOptions):
    fields = ("name",)
    empty_values = {"name": None}


@register(Dimension)
class DimensionTranslationOptions(TranslationOptions):
    fields = ("name",)


@register(DimensionValue)
class DimensionValueTranslationOptions(TranslationOptions):
    fields = ("name",)


@register(Source)
class SourceTranslation(TranslationOptions):
    fields = ("publisher", "title")
