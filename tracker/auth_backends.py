"""How a signed-in account's rights are read: every page asks them (tracker/access.py)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.db import connections, router


def _rights_sql(connection):
    """The app labels and codenames of the permissions the account holds itself or through one
    of its roles, for the account's id given twice. Table and column names come from the models,
    so that they follow AUTH_USER_MODEL."""
    name = connection.ops.quote_name
    user = get_user_model()
    own = user.user_permissions.through._meta
    in_role = user.groups.through._meta
    role_has = Group.permissions.through._meta
    permission = Permission._meta
    content_type = permission.get_field("content_type").related_model._meta

    def column(meta, field):
        return name(meta.get_field(field).column)

    return (
        f"SELECT ct.{column(content_type, 'app_label')}, p.{column(permission, 'codename')} "
        f"FROM {name(permission.db_table)} p JOIN {name(content_type.db_table)} ct "
        f"ON ct.{column(content_type, 'id')} = p.{column(permission, 'content_type')} "
        f"WHERE p.{column(permission, 'id')} IN ("
        f"SELECT {column(own, 'permission')} FROM {name(own.db_table)} "
        f"WHERE {column(own, user._meta.model_name)} = %s"
        f") OR p.{column(permission, 'id')} IN ("
        f"SELECT gp.{column(role_has, 'permission')} FROM {name(role_has.db_table)} gp "
        f"JOIN {name(in_role.db_table)} ug "
        f"ON ug.{column(in_role, 'group')} = gp.{column(role_has, 'group')} "
        f"WHERE ug.{column(in_role, user._meta.model_name)} = %s)"
    )


class AccountBackend(ModelBackend):
    """Django's ModelBackend (sign-in, the rights' rules and caches, with_perm), except that an
    account's permissions, its own and its roles', are read in one query instead of two. Every
    page reads them, and building a query with the ORM costs more time than running it, so this
    one is written in SQL, once per database vendor."""

    _sql_by_vendor = {}

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if hasattr(user_obj, "_perm_cache"):
            return user_obj._perm_cache
        if (
            user_obj.pk is None
            or hasattr(user_obj, "_user_perm_cache")
            or hasattr(user_obj, "_group_perm_cache")
        ):
            # Half read already (get_user_permissions…), or unsaved: as Django does it.
            return super().get_all_permissions(user_obj)
        if user_obj.is_superuser:
            rows = Permission.objects.values_list("content_type__app_label", "codename")
            user_obj._perm_cache = {f"{app}.{codename}" for app, codename in rows.order_by()}
        else:
            user_obj._perm_cache = self._read_rights(user_obj)
        return user_obj._perm_cache

    def _read_rights(self, user_obj):
        connection = connections[router.db_for_read(Permission, instance=user_obj)]
        sql = self._sql_by_vendor.get(connection.vendor)
        if sql is None:
            sql = self._sql_by_vendor[connection.vendor] = _rights_sql(connection)
        with connection.cursor() as cursor:
            cursor.execute(sql, [user_obj.pk, user_obj.pk])
            return {f"{app}.{codename}" for app, codename in cursor.fetchall()}
