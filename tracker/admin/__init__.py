"""The Django admin, where framework administrators maintain the whole results framework
(DESIGN.md §1). Every changelist shows the code and the parent, selects its related rows in the
same query, and keeps a full history (django-simple-history). One module an area; importing
them here registers every model when Django discovers tracker.admin."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from tracker.admin import budget, exchange, framework, reminders, reporting, users

__all__ = ["budget", "exchange", "framework", "reminders", "reporting", "users"]

admin.site.site_header = _("NAP 1325 Tracker administration")
admin.site.site_title = _("NAP 1325 Tracker")
admin.site.index_title = _("Results framework")
