"""The user admin: which accounts a framework administrator may change and which roles they may
grant (roles.can_manage_user, roles.GRANTABLE_BY); superuser, staff and permissions are set by a
superuser alone."""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from tracker import roles
from tracker.models import User

# Only a superuser sets these; the form of anyone else has no such field and refuses them if sent.
SUPERUSER_ONLY_FIELDS = ("is_superuser", "is_staff", "user_permissions")


class GrantableRolesField(forms.ModelMultipleChoiceField):
    """The roles of a user as a non-superuser edits them: only the ones they may grant are
    offered (the queryset), and a forged choice of another role is refused by its name."""

    def _check_values(self, value):
        try:
            return super()._check_values(value)
        except ValidationError as error:
            if error.code != "invalid_choice":
                raise
            refused = (
                self.queryset.model.objects.filter(pk__in=[v for v in value if str(v).isdigit()])
                .exclude(pk__in=self.queryset.values("pk"))
                .values_list("name", flat=True)
            )
            if not refused:
                raise
            raise ValidationError(
                _("Only a superuser may grant or remove these roles: %(roles)s."),
                code="not_grantable",
                params={"roles": ", ".join(str(roles.LABELS.get(n, n)) for n in refused)},
            ) from error


class UserRightsFormMixin:
    """The save path of the user admin (DESIGN.md §1: a framework administrator manages users
    but never grants superuser, staff or a role above their own). UserAdmin.get_form sets the
    editor; for anyone but a superuser the form refuses superuser or staff status or individual
    permissions in the submitted data, refuses an account the editor may not manage, and keeps
    the roles the editor may not grant as they are (the groups field offers only the others)."""

    editor = None

    def clean(self):
        cleaned_data = super().clean()
        editor = self.editor or AnonymousUser()  # no editor set: nothing may be granted
        if editor.is_superuser and editor.is_active:
            return cleaned_data
        if self.instance.pk is not None and not roles.can_manage_user(editor, self.instance):
            raise ValidationError(
                _("Only a superuser may change this account."), code="not_manageable"
            )
        forged = [name for name in SUPERUSER_ONLY_FIELDS if name in self.data]
        if forged:
            self.add_error(
                None,
                ValidationError(
                    _("Only a superuser may set: %(fields)s."),
                    code="superuser_only",
                    params={
                        "fields": ", ".join(
                            str(User._meta.get_field(name).verbose_name) for name in forged
                        )
                    },
                ),
            )
        if "groups" in cleaned_data and self.instance.pk is not None:
            kept = self.instance.groups.exclude(name__in=roles.grantable_roles(editor))
            cleaned_data["groups"] = [*cleaned_data["groups"], *kept]
        return cleaned_data


class UserChangeForm(UserRightsFormMixin, DjangoUserAdmin.form):
    pass


class UserCreationForm(UserRightsFormMixin, DjangoUserAdmin.add_form):
    pass


def without_fields(fieldsets, hidden):
    return tuple(
        (title, {**options, "fields": tuple(f for f in options["fields"] if f not in hidden)})
        for title, options in fieldsets
    )


@admin.register(User)
class UserAdmin(DjangoUserAdmin, SimpleHistoryAdmin):
    """Users and their roles. A superuser sees Django's full forms; anyone else (a framework
    administrator) the same without superuser, staff and individual permissions, with only the
    roles roles.GRANTABLE_BY lets them grant, and may change, delete or set the password of only
    the accounts roles.can_manage_user allows: never their own (their password they change at
    /admin/password_change/), a superuser's or one with a role above theirs."""

    list_display = ["username", "first_name", "last_name", "institution", "is_active"]
    list_filter = ["groups", "is_active", "is_staff", "institution__kind"]
    list_select_related = ["institution"]
    autocomplete_fields = ["institution"]
    form = UserChangeForm
    add_form = UserCreationForm
    fieldsets = DjangoUserAdmin.fieldsets + ((_("Committee"), {"fields": ["institution"]}),)
    add_fieldsets = DjangoUserAdmin.add_fieldsets + ((_("Committee"), {"fields": ["institution"]}),)
    limited_fieldsets = without_fields(fieldsets, SUPERUSER_ONLY_FIELDS)
    # Username and password, then the sections of the limited change form but the first one
    # (username, password hash) and the dates.
    limited_add_fieldsets = DjangoUserAdmin.add_fieldsets + tuple(
        (title, options)
        for title, options in limited_fieldsets
        if not {"username", "last_login"} & set(options["fields"])
    )
    show_full_result_count = False

    def get_fieldsets(self, request, obj=None):
        if request.user.is_superuser:
            return super().get_fieldsets(request, obj)
        return self.limited_fieldsets if obj else self.limited_add_fieldsets

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return super().get_readonly_fields(request, obj)
        return [*super().get_readonly_fields(request, obj), "last_login", "date_joined"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)  # a new class on every call
        form.editor = request.user
        return form

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups" and not request.user.is_superuser:
            kwargs["queryset"] = db_field.related_model.objects.filter(
                name__in=roles.grantable_roles(request.user)
            )
            kwargs["form_class"] = GrantableRolesField
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        # Also guards the password form (/admin/tracker/user/<id>/password/).
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or roles.can_manage_user(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        # Checked for every row of the "delete selected" action as well.
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or roles.can_manage_user(request.user, obj))

    def save_model(self, request, obj, form, change):
        if not request.user.is_superuser:
            if change and not roles.can_manage_user(request.user, obj):
                raise PermissionDenied
            if "groups" in form.cleaned_data:
                # Staff status is not the editor's to tick: it follows the Framework
                # administrator role, whose work is done in this admin and needs it. Given with
                # the role, taken away with it, left alone otherwise.
                granted = any(
                    group.name == roles.FRAMEWORK_ADMINISTRATOR
                    for group in form.cleaned_data["groups"]
                )
                held = change and obj.groups.filter(name=roles.FRAMEWORK_ADMINISTRATOR).exists()
                if granted:
                    obj.is_staff = True
                elif held:
                    obj.is_staff = False
        super().save_model(request, obj, form, change)

    def revert_disabled(self, request, obj=None):
        # A revert writes back every stored column of an old version (superuser and staff
        # status, password) around the checks of the change form: a superuser's business only.
        return not request.user.is_superuser or super().revert_disabled(request, obj)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple-history saves a POST to this page without asking whether revert is disabled.
        if request.method == "POST" and self.revert_disabled(request):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)
