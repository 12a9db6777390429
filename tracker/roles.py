"""The four roles of DESIGN.md §1, as Django groups. Their permissions are set by data
migrations (tracker/migrations/0003_roles.py and later), so every database has the same ones.

Who may give which role is decided here, in GRANTABLE_BY, and nowhere else: the user admin
(tracker/admin/users.py, UserAdmin) limits its forms and its save path to it."""

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

# Which roles a holder of each role may give (and take away) in the user admin. Never a role
# above their own: Secretariat (validates figures) and Reporting staff (publishes reports) are
# granted by a superuser only, and nobody but a superuser grants superuser or staff status or
# individual permissions. A superuser may grant every group.
GRANTABLE_BY = {
    COMMITTEE_MEMBER: [],
    SECRETARIAT: [],
    FRAMEWORK_ADMINISTRATOR: [COMMITTEE_MEMBER, FRAMEWORK_ADMINISTRATOR],
    REPORTING_STAFF: [],
}


def group_names(user):
    """The names of the groups a stored user is in."""
    return set(user.groups.values_list("name", flat=True))


def grantable_roles(user):
    """The names of the groups the user may give to, or take away from, another user, sorted.
    Empty for an anonymous or inactive user."""
    if not user.is_authenticated or not user.is_active:
        return []
    if user.is_superuser:
        # Imported here, so that this module can be imported before the apps are loaded.
        from django.contrib.auth.models import Group

        return sorted(Group.objects.values_list("name", flat=True))
    return sorted({granted for role in group_names(user) for granted in GRANTABLE_BY.get(role, [])})


def can_manage_user(editor, target):
    """Whether editor may change, delete or set the password of target in the admin. A
    superuser may manage everyone. Anyone else only with a role that grants roles, and never
    their own account, a superuser, an account holding individual permissions or one holding a
    role they may not grant: each may have rights the editor lacks, which a new password or a
    changed role would hand over."""
    if not editor.is_authenticated or not editor.is_active:
        return False
    if editor.is_superuser:
        return True
    grantable = set(grantable_roles(editor))
    if not grantable or target.is_superuser:
        return False
    if target.pk is None:
        return True
    # What is stored decides, not the instance in hand (an old version from the history, say).
    stored = type(target)._default_manager.filter(pk=target.pk)
    if target.pk == editor.pk or stored.filter(is_superuser=True).exists():
        return False
    if target.user_permissions.exists():
        return False
    return group_names(target) <= grantable
