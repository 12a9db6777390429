"""What every admin page of the tracker shares: the history of each row, searches that find a
translated field in either language, and writes the services refuse shown as a message."""

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from modeltranslation import settings as translation_settings
from modeltranslation.admin import TranslationAdmin
from modeltranslation.translator import NotRegistered, translator
from modeltranslation.utils import build_localized_fieldname
from simple_history.admin import SimpleHistoryAdmin


def bilingual_lookups(model, lookup):
    """A search lookup on a translated field ("name", "indicator__name") as one lookup per
    language ("name_fr", "name_en"), so that the admin finds a row whatever language it is
    written in; other lookups are returned unchanged."""
    prefix = lookup[0] if lookup[0] in "^=@" else ""
    path = lookup[len(prefix) :].split("__")
    for position, part in enumerate(path):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            break
        if field.is_relation and field.related_model is not None:
            model = field.related_model
            continue
        try:
            translated = translator.get_options_for_model(model).all_fields
        except NotRegistered:
            break
        if part not in translated:
            break
        return [
            prefix
            + "__".join(
                [*path[:position], build_localized_fieldname(part, language), *path[position + 1 :]]
            )
            for language in translation_settings.AVAILABLE_LANGUAGES
        ]
    return [lookup]


class TrackerAdmin(SimpleHistoryAdmin):
    list_per_page = 50
    # The exact count of an unfiltered table is one more query on every page; not needed.
    show_full_result_count = False
    # Reverting a reported record would write around the services (versions, closed periods,
    # four eyes); the reporting admins turn it off.
    allow_revert = True

    def revert_disabled(self, request, obj=None):
        return not self.allow_revert or super().revert_disabled(request, obj)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple-history saves a POST to this page without asking for the change permission.
        if request.method == "POST":
            obj = self.get_object(request, unquote(object_id))
            if self.revert_disabled(request, obj) or not self.has_change_permission(request, obj):
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_search_fields(self, request):
        return [
            expanded
            for lookup in super().get_search_fields(request)
            for expanded in bilingual_lookups(self.model, lookup)
        ]

    def changeform_view(self, request, *args, **kwargs):
        """A write the services or the database refuse (closed period, stale version, a rule
        the form could not see) comes back as a message on the same page, never as a 500;
        the admin's transaction has rolled back, so nothing of it is stored."""
        try:
            return super().changeform_view(request, *args, **kwargs)
        except (ValidationError, IntegrityError) as error:
            if isinstance(error, ValidationError):
                reason = " ".join(error.messages)
            else:
                reason = _("the database refused it (%(reason)s).") % {"reason": error}
            self.message_user(
                request, _("Nothing was saved: %(reason)s") % {"reason": reason}, messages.ERROR
            )
            return HttpResponseRedirect(request.get_full_path())


class TranslatedAdmin(TranslationAdmin, TrackerAdmin):
    """Framework content in both languages (tracker/translation.py): the French and the English
    field are edited one under the other (DESIGN.md §6)."""


class ViewOnly:
    """For a ModelAdmin whose rows the admin lists and shows but never adds, changes or
    deletes: they are written elsewhere (each admin says where)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ViewOnlyAdmin(ViewOnly, TrackerAdmin):
    """View-only rows that keep a history (TrackerAdmin's history page)."""
