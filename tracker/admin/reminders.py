"""The outbox of e-mails (tracker.models.Reminder), read-only: what was sent to whom and when,
what is waiting, and what failed with the mail server's answer. Rows are written by
tracker/reminders/ and the services, never here.

The secretariat (who may manage periods) reads it, as superusers do: its role received no
permission on this model, and the outbox is about its work (reminders, escalations, digests)."""

from django.conf import settings
from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tracker.access import Right, has_right
from tracker.admin.base import ViewOnlyAdmin
from tracker.models import Reminder


class DeliveryFilter(admin.SimpleListFilter):
    title = _("delivery")
    parameter_name = "delivery"

    def lookups(self, request, model_admin):
        return [
            ("waiting", _("Waiting, not tried yet")),
            ("retrying", _("Failed, will be tried again")),
            ("failing", _("Failed too many times: check the address or the mail server")),
            ("sent", _("Sent")),
        ]

    def queryset(self, request, queryset):
        limit = settings.REMINDER_MAX_ATTEMPTS
        pending = Q(status=Reminder.Status.PENDING)
        return {
            "waiting": queryset.filter(pending, attempts=0),
            "retrying": queryset.filter(pending, attempts__gt=0, attempts__lt=limit),
            "failing": queryset.filter(pending, attempts__gte=limit),
            "sent": queryset.filter(status=Reminder.Status.SENT),
        }.get(self.value(), queryset)


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "kind",
        "email",
        "language",
        "key",
        "status",
        "attempts",
        "sent_at",
        "error",
    ]
    list_filter = [DeliveryFilter, "kind", "language"]
    search_fields = ["email", "key", "subject"]
    date_hierarchy = "created_at"
    list_per_page = 50
    show_full_result_count = False
    # Shown read-only: nobody may change a row (below).
    fields = [
        ("kind", "status"),
        ("email", "language"),
        ("recipient", "institution", "period"),
        "key",
        "subject",
        "body",
        ("created_at", "sent_at"),
        ("attempts", "last_error"),
    ]

    @admin.display(description=_("last error"))
    def error(self, reminder):
        return reminder.last_error[:120]

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or (
            request.user.is_active and has_right(request.user, Right.MANAGE_PERIODS)
        )

    # Never written here, as ViewOnlyAdmin's rows (whose history views this model lacks).
    has_add_permission = ViewOnlyAdmin.has_add_permission
    has_change_permission = ViewOnlyAdmin.has_change_permission
    has_delete_permission = ViewOnlyAdmin.has_delete_permission
