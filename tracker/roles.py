"""The four roles of DESIGN.md §1, as Django groups. Their permissions are set by data
migrations (tracker/migrations/0003_roles.py and later), so every database has the same ones."""

from django.utils.translation import gettext_lazy as _

COMMITTEE_MEMBER = "Committee member"
SECRETARIAT = "Secretariat"
FRAMEWORK_ADMINISTRATOR = "Framework administrator"
REPORTING_STAFF = "Reporting staff"

ALL = [COMMITTEE_MEMBER, SECRETARIAT, FRAMEWORK_ADMINISTRATOR, REPORTING_STAFF]

LABELS = {
    COMMITTEE_MEMBER: _("Committee member"),
    SECRETARIAT: _("Secretariat"),
    FRAMEWORK_ADMINISTRATOR: _("Framework administrator"),
    REPORTING_STAFF: _("Reporting staff"),
}
