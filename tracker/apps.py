from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

# django-simple-history's French catalogue lacks the heading of its history table in the
# admin; ours, read first (LOCALE_PATHS), supplies it.
THIRD_PARTY_MESSAGES = [gettext_noop("Changes")]


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = _("NAP 1325 Tracker")
    default_auto_field = "django.db.models.BigAutoField"
